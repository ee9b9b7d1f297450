package io.warhorse.worker.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog with a fake clock and a fake CPU clock: a task is reported once, only past the threshold, only while
 * running, and only with evidence that it holds its thread (waiting, or using CPU), which the report tells apart;
 * a task that a busy machine kept from running, and time the watchdog itself did not run, are not held against it;
 * checks run only while a task does.
 */
class TaskWatchdogTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong cpu = new AtomicLong();
    private final List<TaskWatchdog.Report> reports = new CopyOnWriteArrayList<>();
    private final TaskWatchdog watchdog = new TaskWatchdog(Duration.ofMillis(100), Duration.ofMillis(25), nanos::get,
            thread -> cpu.get(), reports::add);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean spinning = true;
    private volatile boolean looping;
    private Thread worker;

    @AfterEach
    void finish() throws InterruptedException {
        release.countDown();
        spinning = false;
        if (worker != null) {
            worker.join(5000);
        }
    }

    @Test
    void reportsATaskHeldPastTheThresholdOnceWithItsStack() throws Exception {
        start(() -> awaitQuietly(release));
        Deadline.waitingOrTimed(worker);

        advance(99);
        assertEquals(0, reports.size(), "under the threshold");

        advance(2);
        watchdog.check();
        assertEquals(1, reports.size(), "reported once");
        TaskWatchdog.Report report = reports.getFirst();
        assertEquals("async-test", report.thread().getName());
        assertEquals(101, report.held().toMillis());
        assertTrue(List.of(report.stack()).toString().contains("awaitQuietly"), "stack shows where it waits");
        assertFalse(report.computing(), "it waits: a route for virtual threads");

        release.countDown();
        worker.join(5000);
        advance(1000);
        assertEquals(1, reports.size(), "a finished task is not reported");
    }

    @Test
    void aRunnableTaskCountsOnlyOnceItUsesCpu() throws Exception {
        start(() -> {
            while (spinning) {
                Thread.onSpinWait();
            }
        });
        for (int i = 0; i < 10; i++) {
            advance(25);
        }
        assertEquals(0, reports.size(), "runnable but given no CPU: a busy machine, not the task");
        cpu.addAndGet(Duration.ofMillis(150).toNanos());
        advance(25);
        assertEquals(1, reports.size(), "it used over half the time since it was first seen as CPU");
        assertTrue(reports.getFirst().computing(), "it computes: a route for the platform pool, not virtual threads");
    }

    @Test
    void withNoCpuClockARunnableTaskCountsAsComputing() throws Exception {
        TaskWatchdog blind = new TaskWatchdog(Duration.ofMillis(100), Duration.ofMillis(25), nanos::get, thread -> -1,
                reports::add);
        // a name of its own: the kernel's state of a thread is looked up by name
        worker = Thread.ofPlatform().name("async-blind").start(blind.wrap(() -> {
            while (spinning) {
                looping = true; // a plain volatile write: no call into native code, which looks like a blocking read
                Thread.onSpinWait();
            }
        }));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!looping) {
            assertTrue(System.nanoTime() < end, "the task never started its loop");
            Thread.sleep(1);
        }
        for (int i = 0; i < 5; i++) {
            nanos.addAndGet(Duration.ofMillis(25).toNanos());
            blind.check();
        }
        assertEquals(1, reports.size());
        assertTrue(reports.getFirst().computing(), "reported as waiting at " + List.of(reports.getFirst().stack()));
    }

    @Test
    void timeTheWatchdogDidNotRunIsNotHeldAgainstTasks() throws Exception {
        start(() -> awaitQuietly(release));
        Deadline.waitingOrTimed(worker);
        advance(25);
        advance(25);
        advance(500);
        assertEquals(0, reports.size(), "the check came 475 ms late: the process was stopped");
        advance(25);
        advance(25);
        advance(25);
        assertEquals(1, reports.size());
    }

    @Test
    void checksRunOnlyWhileTasksRunAndResumeForTheNextTask() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            TaskWatchdog live = new TaskWatchdog(Duration.ofMillis(50), Duration.ofMillis(10), System::nanoTime,
                    thread -> -1, reports::add);
            live.checkOn(scheduler);
            assertFalse(live.scheduled(), "no task: no checks");
            for (int round = 1; round <= 2; round++) {
                CountDownLatch done = new CountDownLatch(1);
                Thread task = Thread.ofPlatform().name("async-live-" + round).start(live.wrap(() -> awaitQuietly(done)));
                int expected = round;
                Eventually.within(Duration.ofSeconds(10), "the waiting task is reported by the scheduled checks",
                        () -> reports.size() == expected);
                done.countDown();
                task.join(5000);
                Eventually.within(Duration.ofSeconds(10), "the checks stop once no task runs", () -> !live.scheduled());
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    private void advance(long millis) {
        nanos.addAndGet(Duration.ofMillis(millis).toNanos());
        watchdog.check();
    }

    private void start(Runnable body) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        worker = Thread.ofPlatform().name("async-test").start(watchdog.wrap(() -> {
            started.countDown();
            body.run();
        }));
        assertTrue(started.await(5, TimeUnit.SECONDS));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits, with a deadline, until a thread is parked, so its state is evidence of waiting. */
    private static final class Deadline {
        static void waitingOrTimed(Thread thread) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("thread never parked: " + thread.getState());
                }
                Thread.sleep(1);
            }
        }
    }
}
