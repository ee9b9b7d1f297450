package io.warhorse.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads {@code warhorse.deploy.stack-traces}, {@code warhorse.jsp.*} and {@code warhorse.security.*} into
 * {@link Settings.Deploy}, reporting problems through the {@link SettingsReader} it is given. A realm file that is
 * named must exist, so a typo stops warhorse at start instead of locking every user out.
 */
final class DeployReader {

    private static final Set<String> STACK_TRACES = Set.of("none", "local", "all");

    private final SettingsReader reader;

    DeployReader(SettingsReader reader) {
        this.reader = reader;
    }

    Settings.Deploy read(Path tempDir) {
        return new Settings.Deploy(tempDir, new Settings.Jsp(bool("warhorse.jsp.precompile"),
                bool("warhorse.jsp.development")), security(), stackTraces());
    }

    private String stackTraces() {
        String path = "warhorse.deploy.stack-traces";
        String mode = reader.get(path, "none, local or all", reader.config()::getString, "none");
        if (!STACK_TRACES.contains(mode)) {
            reader.problem(path, "expected none, local or all, got \"" + mode + "\"");
        }
        return mode;
    }

    private Settings.Security security() {
        String path = "warhorse.security.realm-file";
        String text = reader.get(path, "a file path or \"\"", reader.config()::getString, "");
        Path file = null;
        if (!text.isBlank()) {
            file = reader.resolve(path, text);
            if (!Files.isRegularFile(file)) {
                reader.problem(path, "no such file: " + file + " (write one with `warhorse passwd USER`)");
            }
        }
        return new Settings.Security(file, reader.duration("warhorse.security.failed-login-delay", false));
    }

    private boolean bool(String path) {
        return reader.get(path, "true or false", reader.config()::getBoolean, false);
    }
}
