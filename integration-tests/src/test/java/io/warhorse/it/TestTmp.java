package io.warhorse.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The temporary folder ({@code TMPDIR}) of the warhorse processes the tests start: {@code target/warhorse-tmp}, so
 * the AOT caches and class-data archives they build (~40 MiB each, one per set of apps, and the tests deploy apps
 * from folders of their own) are shared by the whole run and go with {@code target/}, not left in /tmp.
 */
public final class TestTmp {

    private TestTmp() {}

    /** Sets {@code TMPDIR} in a launcher's environment. */
    public static void into(Map<String, String> environment) {
        environment.put("TMPDIR", folder().toString());
    }

    /**
     * Sets {@code TMPDIR}, and one AOT cache file for the workers of every master the suite starts
     * ({@code worker.class-data-archive}): the first worker of the run records it and the rest map it. With
     * {@code "auto"}, each test class, deploying its apps from a folder of its own, would record a cache and assemble
     * it (a JVM busy for seconds) for its own masters alone. The cache holds the classes of warhorse's class path,
     * not the apps' (the JDK caches no class of a web app's class loader), so one serves every set of apps; a worker
     * whose JVM options the cache does not fit starts without it, as the JDK ignores it. Tests about the cache set
     * the variable themselves. The file is named after the distribution's jars ({@code lib}).
     */
    public static void withSuiteAotCache(Map<String, String> environment, Path lib) {
        into(environment);
        Path cache = folder().resolve("suite-workers-" + stamp(lib) + ".aot");
        boolean record = Files.isRegularFile(cache) || mayRecord(cache);
        environment.put("WARHORSE_WORKER_CLASS_DATA_ARCHIVE", record ? cache.toString() : "");
    }

    /** The lock of the one test JVM that records the suite's cache; held until that JVM exits. */
    private static FileLock recorder;

    /**
     * Whether this test JVM's masters may record the suite's cache while it does not exist yet: only the JVM that
     * holds the lock file next to it (the first to ask). Until the cache is in place, a master started by another fork
     * runs its workers without one instead of recording it a second time (a recording worker takes seconds more to
     * boot and several to exit, and each recording is assembled, which is a JVM busy for seconds too). The OS
     * releases the lock when its JVM exits, so a run that died leaves no lock behind.
     */
    private static synchronized boolean mayRecord(Path cache) {
        if (recorder == null) {
            try {
                FileChannel channel = FileChannel.open(cache.resolveSibling(cache.getFileName() + ".recorder"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                recorder = channel.tryLock();
                if (recorder == null) {
                    channel.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return recorder != null;
    }

    /**
     * A digest of the jars' names, sizes and times: a cache named outright is mapped as it is, and one made from other
     * jars gave a worker some classes of the old build and some of the new (NoSuchMethodError), so a rebuild names a
     * new one.
     */
    private static String stamp(Path lib) {
        try (Stream<Path> jars = Files.list(lib)) {
            StringBuilder text = new StringBuilder();
            for (Path jar : jars.sorted().toList()) {
                text.append(jar.getFileName()).append(' ').append(Files.size(jar)).append(' ')
                        .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
            }
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path folder() {
        try {
            return Files.createDirectories(Path.of("target", "warhorse-tmp")).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
