package io.warhorse.worker.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.spi.TestRoutes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The platform refuge sends back a route whose requests mostly wait (here: parked on a latch), after its samples,
 * and keeps one whose requests compute; no clock is involved, only the samples taken.
 */
class PlatformRefugeTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(1);
    private final List<String> released = new CopyOnWriteArrayList<>();
    private final PlatformRefuge refuge = new PlatformRefuge(pool, (route, why) -> released.add(why));
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean spinning = true;

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        spinning = false;
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void aRouteWhoseRequestsWaitGoesBackAfterItsSamples() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        refuge.execute(TestRoutes.of("/report"), () -> {
            started.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        awaitParked();
        for (int i = 1; i < PlatformRefuge.SAMPLES; i++) {
            refuge.sample();
        }
        assertTrue(released.isEmpty(), "not before " + PlatformRefuge.SAMPLES + " samples");
        refuge.sample();
        assertEquals(1, released.size());
        assertTrue(released.getFirst().contains("20 of 20 samples"), released.getFirst());
    }

    @Test
    void aRouteWhoseRequestsComputeStays() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        refuge.execute(TestRoutes.of("/report"), () -> {
            started.countDown();
            while (spinning) {
                Thread.onSpinWait();
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 3 * PlatformRefuge.SAMPLES; i++) {
            refuge.sample();
        }
        assertTrue(released.isEmpty(), released.toString());
    }

    /** Waits, with a deadline, until the pool's thread is parked on the latch. */
    private void awaitParked() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Thread[] threads = new Thread[Thread.activeCount() + 8];
        while (true) {
            int n = Thread.enumerate(threads);
            for (int i = 0; i < n; i++) {
                if (threads[i].getName().startsWith("pool-") && threads[i].getState() == Thread.State.TIMED_WAITING) {
                    return;
                }
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("the pool's thread never parked");
            }
            Thread.sleep(1);
        }
    }
}
