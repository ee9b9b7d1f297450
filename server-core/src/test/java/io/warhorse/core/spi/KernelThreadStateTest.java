package io.warhorse.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The kernel's view of real threads: one asleep on a latch, one spinning, a virtual one and an ambiguous name. */
class KernelThreadStateTest {

    private volatile boolean spinning = true;

    @Test
    void tellsASleepingThreadFromARunningOne() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc only");
        CountDownLatch release = new CountDownLatch(1);
        Thread sleeper = Thread.ofPlatform().name("kts-sleeper").start(() -> awaitQuietly(release));
        Thread spinner = Thread.ofPlatform().name("kts-spinner").start(() -> {
            while (spinning) {
                Thread.onSpinWait();
            }
        });
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!KernelThreadState.asleep(sleeper)) {
                assertTrue(System.nanoTime() < end, "the sleeper never showed asleep: " + KernelThreadState.of(sleeper));
                Thread.sleep(1);
            }
            while (KernelThreadState.of(spinner) == KernelThreadState.UNKNOWN) { // until it has named its native thread
                assertTrue(System.nanoTime() < end, "the spinner's native thread never showed");
                Thread.sleep(1);
            }
            assertEquals('R', KernelThreadState.of(spinner), "running or runnable, never asleep");
            assertFalse(KernelThreadState.asleep(spinner));
            assertEquals(KernelThreadState.UNKNOWN, KernelThreadState.of(Thread.ofVirtual().unstarted(() -> { })));
        } finally {
            release.countDown();
            spinning = false;
            sleeper.join(5000);
            spinner.join(5000);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
