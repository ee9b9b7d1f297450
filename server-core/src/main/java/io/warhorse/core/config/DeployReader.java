package io.warhorse.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads {@code warhorse.deploy.stack-traces}, {@code warhorse.jsp.*} and {@code warhorse.security.*} into
 * {@link Settings.Deploy}, reporting problems through the {@link SettingsReader} it is given. A realm file that is
 * named must exist, so a typo stops warhorse at start instead of locking every user out.
 */
final class DeployReader {

    private final SettingsReader reader;

    DeployReader(SettingsReader reader) {
        this.reader = reader;
    }

    Settings.Deploy read(Path tempDir) {
        return new Settings.Deploy(tempDir, new Settings.Jsp(bool("warhorse.jsp.precompile"),
                bool("warhorse.jsp.development")), security(),
                reader.choice("warhorse.deploy.stack-traces", List.of("none", "local", "all"), "none"));
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
