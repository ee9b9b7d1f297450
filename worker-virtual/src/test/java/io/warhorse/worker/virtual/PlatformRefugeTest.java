package io.warhorse.worker.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.spi.Route;
import io.warhorse.core.spi.TestRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The platform refuge, with the kernel's accounts of a real thread: a route whose requests sleep goes back after its
 * {@value PlatformRefuge#REQUESTS} requests, one whose requests compute stays. Asserts on what the requests did,
 * never on how long they took.
 */
class PlatformRefugeTest {

    private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "refuge-test"));
    private final List<String> released = new CopyOnWriteArrayList<>();
    private final PlatformRefuge refuge = new PlatformRefuge(pool, (route, why) -> released.add(why));

    @BeforeEach
    void linuxOnly() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "the kernel's accounts come from /proc");
    }

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void aRouteWhoseRequestsSleepGoesBack() throws Exception {
        run(TestRoutes.of("/report"), PlatformRefuge.REQUESTS - 1, () -> sleep(5));
        assertTrue(released.isEmpty(), "not before " + PlatformRefuge.REQUESTS + " requests");
        run(TestRoutes.of("/other"), PlatformRefuge.REQUESTS, PlatformRefugeTest::spin);
        assertTrue(released.isEmpty(), "a computing route's requests stay: " + released);
    }

    @Test
    void releasesAtTheTwentiethSleepyRequest() throws Exception {
        run(TestRoutes.of("/report"), PlatformRefuge.REQUESTS, () -> sleep(5));
        assertEquals(1, released.size());
        assertTrue(released.getFirst().contains("asleep"), released.getFirst());
    }

    /** Runs {@code count} requests of {@code route} one after another, each to its end. */
    private void run(Route route, int count, Runnable body) throws Exception {
        for (int i = 0; i < count; i++) {
            Future<?> done = pool.submit(() -> refuge.execute(route, body));
            done.get(10, TimeUnit.SECONDS);
            pool.submit(() -> { }).get(10, TimeUnit.SECONDS); // the request ran (a single thread, in order)
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Computes for a while: CPU, never asleep (a busy machine may keep it waiting for a CPU, which counts as work). */
    private static void spin() {
        long x = 0;
        for (int i = 0; i < 3_000_000; i++) {
            x += i * 31L ^ (x >>> 3);
        }
        if (x == 42) {
            System.out.println(x);
        }
    }
}
