package io.warhorse.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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
     * the variable themselves.
     */
    public static void withSuiteAotCache(Map<String, String> environment) {
        into(environment);
        environment.put("WARHORSE_WORKER_CLASS_DATA_ARCHIVE", folder().resolve("suite-workers.aot").toString());
    }

    private static Path folder() {
        try {
            return Files.createDirectories(Path.of("target", "warhorse-tmp")).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
