package io.warhorse.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a JDK 25 or newer for the warhorse JVM, in the order bin/jdk25.sh uses: the configured folder, the JDK
 * running Maven, {@code WARHORSE_JAVA_HOME}, {@code JAVA_HOME}, then every JDK under /usr/lib/jvm and /opt. A
 * JDK's feature release is read from its {@code release} file, without starting it. Runs on Maven's thread.
 */
final class JdkFinder {

    static final int NEEDED = 25;
    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    private JdkFinder() {}

    /** The {@code java} launcher of the first JDK 25 found, or empty with nothing found. */
    static Optional<Path> java(Path configured) {
        List<Path> candidates = new ArrayList<>();
        if (configured != null) {
            candidates.add(configured);
        }
        candidates.add(Path.of(System.getProperty("java.home")));
        Stream.of(System.getenv("WARHORSE_JAVA_HOME"), System.getenv("JAVA_HOME"))
                .filter(home -> home != null && !home.isBlank()).map(Path::of).forEach(candidates::add);
        candidates.addAll(children(Path.of("/usr/lib/jvm")));
        candidates.addAll(children(Path.of("/opt")));
        return candidates.stream().filter(home -> feature(home) >= NEEDED).map(home -> home.resolve("bin/java")).findFirst();
    }

    /** The JDK's feature release (25 for 25.0.1), or 0 when {@code home} is no JDK. */
    static int feature(Path home) {
        try {
            if (!Files.isExecutable(home.resolve("bin/java"))) {
                return 0;
            }
            Matcher version = VERSION.matcher(Files.readString(home.resolve("release")));
            return version.find() ? Integer.parseInt(version.group(1)) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static List<Path> children(Path folder) {
        try (Stream<Path> children = Files.list(folder)) {
            return children.sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
