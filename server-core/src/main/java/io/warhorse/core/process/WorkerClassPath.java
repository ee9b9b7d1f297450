package io.warhorse.core.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class path of the JVMs that deploy apps: the workers, and {@code --check-config}'s. bin/warhorse runs the
 * master with {@code lib/} alone, as it only supervises (no Undertow, Jasper or session-store driver is loaded,
 * mapped or indexed there), and names the workers' class path, {@code lib/*:lib/worker/*}, in the system property
 * {@value #PROPERTY}. Without it (the Maven plugin, tests, a {@code java -cp} by hand) the workers get the master's
 * own class path. Entries ending in {@code *} are expanded as the {@code java} launcher does, to the folder's jars,
 * here in name order (since the workers' AOT cache names each file), warhorse's own jar first. Stateless; any thread.
 */
public final class WorkerClassPath {

    /**
     * The file name of warhorse's own jar, which comes first among a folder's jars: it holds the classes that
     * replace one class each of XNIO and Undertow ({@code org.xnio.Xnio$MBeanHolder$1},
     * {@code io.undertow.server.handlers.HostHeaderHandler$Wrapper}), which work only ahead of those libraries.
     */
    static final String OWN_JAR = ownJar();

    /** The system property bin/warhorse sets for the master. */
    public static final String PROPERTY = "warhorse.worker.class-path";

    private WorkerClassPath() {}

    /** The workers' class path for this JVM, expanded. */
    public static String current() {
        return of(System.getProperty(PROPERTY), System.getProperty("java.class.path"));
    }

    /** Whether the workers' class path is more than this JVM's own, so that apps cannot be deployed in it. */
    public static boolean separate() {
        return !current().equals(expand(System.getProperty("java.class.path")));
    }

    /** {@code workers} expanded, or {@code own} when {@code workers} is unset or blank. */
    static String of(String workers, String own) {
        return expand(workers == null || workers.isBlank() ? own : workers);
    }

    /** Each {@code DIR/*} entry replaced by the jars in DIR, in name order; a folder that is missing adds none. */
    static String expand(String classPath) {
        return expand(classPath, OWN_JAR);
    }

    static String expand(String classPath, String ownJar) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.equals("*") || entry.endsWith(File.separator + "*")) {
                entries.addAll(jars(Path.of(entry.substring(0, entry.length() - 1)), ownJar));
            } else if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String ownJar() {
        try {
            Path own = Path.of(WorkerClassPath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return own.getFileName().toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return "";
        }
    }

    private static List<String> jars(Path folder, String ownJar) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jar"))
                    .filter(Files::isRegularFile).map(Path::toString)
                    .sorted(Comparator.comparing((String jar) -> !jar.endsWith(File.separator + ownJar))
                            .thenComparing(Comparator.naturalOrder()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the jars of " + folder + " for the workers' class path", e);
        }
    }
}
