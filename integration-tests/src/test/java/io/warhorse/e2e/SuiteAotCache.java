package io.warhorse.e2e;

import io.warhorse.it.Deadline;
import io.warhorse.it.Http;
import io.warhorse.it.TestTmp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

/**
 * The JDK AOT cache ({@code worker.class-data-archive}) that the workers of every master the suite starts map: one
 * file, named after the distribution's jars ({@link TestTmp#suiteAotCache}), recorded once per build by a master of
 * its own on a thread of its own, beside the tests. No test's worker records it: a recording worker boots slower and
 * spends seconds writing its configuration at exit, a master whose recording worker was killed (a quick stop, a
 * kill -9) leaves nothing and the next records again, and a test's master recorded a cache with every new master of
 * the fork until one was assembled. Until it is in place, masters start their workers without a cache. Of the two
 * test JVMs (surefire's forks), only the one that holds the lock file beside the cache records; the OS releases the
 * lock when that JVM exits. The cache holds the classes of warhorse's class path, not the apps' (the JDK caches no
 * class of a web app's class loader), so one serves every set of apps; a worker whose JVM options the cache does not
 * fit starts without it, as the JDK ignores it. Tests about the cache set their own.
 */
final class SuiteAotCache {

    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static Thread recorder;
    private static FileLock lock;

    private SuiteAotCache() {}

    /** The value of {@code worker.class-data-archive} for a master starting now: the cache if it is in place, else off. */
    static synchronized String setting() {
        Path cache = TestTmp.suiteAotCache(Warhorse.home().resolve("lib"));
        if (Files.isRegularFile(cache)) {
            return cache.toString();
        }
        if (recorder == null && locked(cache)) {
            recorder = Thread.ofPlatform().daemon().name("suite-aot-cache").start(() -> record(cache));
        }
        return "";
    }

    private static boolean locked(Path cache) {
        try {
            FileChannel channel = FileChannel.open(cache.resolveSibling(cache.getFileName() + ".recorder"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
            if (lock == null) {
                channel.close();
            }
            return lock != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A master with one worker serving the sample apps the end-to-end tests deploy, a few requests to each, and TERM:
     * the worker records as it exits, then the master's assembler writes the cache. Runs in the suite's temporary
     * folder, which outlives every test.
     */
    private static void record(Path cache) {
        Map<String, String> env = Map.of("WARHORSE_WORKER_CLASS_DATA_ARCHIVE", cache.toString());
        try (Warhorse master = Warhorse.serve("suite-aot-cache", cache.getParent(), 1, env, "--workers", "1",
                "--bind", "127.0.0.1:0", "--admin-bind", "127.0.0.1:0", Warhorse.war("hello") + "=/hello",
                Warhorse.war("slowdb") + "=/slowdb", Warhorse.war("session-counter") + "=/counter",
                Warhorse.war("chat") + "=/chat")) {
            // a short run of the suite may end first: its processes are stopped with the test JVM
            Runtime.getRuntime().addShutdownHook(new Thread(master::close));
            for (int i = 0; i < 20; i++) {
                for (String path : new String[] {"/hello/hello", "/hello/whoami", "/slowdb/query?ms=1", "/counter/plain"}) {
                    Http.get(master.port(), path);
                }
            }
            master.signal("TERM");
            master.awaitExit(LIMIT);
            Deadline.within(LIMIT, () -> Files.isRegularFile(cache));
        } catch (Exception | AssertionError e) {
            System.err.println("the suite's AOT cache " + cache + " was not made (workers start without one): " + e);
        }
    }
}
