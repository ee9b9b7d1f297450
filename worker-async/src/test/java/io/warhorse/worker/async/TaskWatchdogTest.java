package io.warhorse.worker.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The watchdog with a fake clock: a task is reported once, only past the threshold, only while running. */
class TaskWatchdogTest {

    private final AtomicLong nanos = new AtomicLong();
    private final List<TaskWatchdog.Report> reports = new CopyOnWriteArrayList<>();
    private final TaskWatchdog watchdog = new TaskWatchdog(Duration.ofMillis(100), nanos::get, reports::add);

    @Test
    void reportsATaskHeldPastTheThresholdOnceWithItsStack() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = Thread.ofPlatform().name("async-test").start(watchdog.wrap(() -> {
            started.countDown();
            awaitQuietly(release);
        }));
        assertTrue(started.await(5, TimeUnit.SECONDS));

        nanos.addAndGet(Duration.ofMillis(99).toNanos());
        watchdog.check();
        assertEquals(0, reports.size(), "under the threshold");

        nanos.addAndGet(Duration.ofMillis(2).toNanos());
        watchdog.check();
        watchdog.check();
        assertEquals(1, reports.size(), "reported once");
        TaskWatchdog.Report report = reports.getFirst();
        assertEquals("async-test", report.thread().getName());
        assertEquals(101, report.held().toMillis());
        assertTrue(List.of(report.stack()).toString().contains("awaitQuietly"), "stack shows where it waits");

        release.countDown();
        worker.join(5000);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        watchdog.check();
        assertEquals(1, reports.size(), "a finished task is not reported");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
