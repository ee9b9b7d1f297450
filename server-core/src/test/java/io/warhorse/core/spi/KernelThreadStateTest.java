package io.warhorse.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    private volatile boolean looping;

    @Test
    void tellsASleepingThreadFromARunningOne() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc only");
        CountDownLatch release = new CountDownLatch(1);
        Thread sleeper = Thread.ofPlatform().name("kts-sleeper").start(() -> awaitQuietly(release));
        Thread spinner = Thread.ofPlatform().name("kts-spinner").start(() -> {
            while (spinning) {
                looping = true;
                Thread.onSpinWait();
            }
        });
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!KernelThreadState.asleep(sleeper)) {
                assertTrue(System.nanoTime() < end, "the sleeper never showed asleep: " + KernelThreadState.of(sleeper));
                Thread.sleep(1);
            }
            // once it spins: running or runnable. Not at every single look: the JVM stops a thread in Java code
            // for a moment now and then (a safepoint, a handshake), and the kernel shows it asleep meanwhile.
            while (!looping || KernelThreadState.of(spinner) != 'R') {
                assertTrue(System.nanoTime() < end, "the spinning thread never showed running: " + KernelThreadState.of(spinner));
                Thread.sleep(1);
            }
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
