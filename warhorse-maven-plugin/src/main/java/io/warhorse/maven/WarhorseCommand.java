package io.warhorse.maven;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The command line of a warhorse master started by the plugin: the JDK's {@code java}, the JVM options
 * bin/warhorse gives the master, the plugin's own dependencies as the class path, and the warhorse flags. The
 * plugin's {@code <settings>} are written as HOCON into a {@code -c} file, one {@code warhorse.KEY = VALUE} a line,
 * so any setting of reference.conf can be given, and a mistyped one is reported by warhorse with that file's line.
 * Runs on Maven's thread.
 */
final class WarhorseCommand {

    private WarhorseCommand() {}

    /**
     * @param java      a JDK 25's {@code java}
     * @param jars      the class path: server-core, the worker kinds and what they need
     * @param config    where to write the settings file
     * @param settings  setting (without the {@code warhorse.} prefix) to HOCON value, as written in the POM
     * @param flags     warhorse flags, then the apps
     */
    static List<String> build(Path java, List<File> jars, Path config, Map<String, String> settings, List<String> flags)
            throws IOException {
        Files.createDirectories(config.getParent());
        Files.writeString(config, hocon(settings), StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-cp",
                jars.stream().map(File::getAbsolutePath).collect(Collectors.joining(File.pathSeparator)),
                "io.warhorse.core.cli.Main", "-c", config.toString()));
        command.addAll(flags);
        return command;
    }

    /** {@code warhorse.KEY = VALUE} lines; a value is HOCON as written (quote a string with a colon: {@code "127.0.0.1:0"}). */
    static String hocon(Map<String, String> settings) {
        StringBuilder text = new StringBuilder("# written by warhorse-maven-plugin from the <settings> of the POM\n");
        settings.forEach((key, value) -> text.append("warhorse.").append(key.strip()).append(" = ")
                .append(value == null ? "\"\"" : value.strip()).append('\n'));
        return text.toString();
    }
}
