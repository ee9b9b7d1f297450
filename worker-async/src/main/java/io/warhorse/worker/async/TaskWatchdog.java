package io.warhorse.worker.async;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Notices a task that holds one of the async kind's few threads longer than a threshold: asyncio's
 * slow-callback warning. Such a task is blocking (JDBC, sleep, a synchronous HTTP call) or burning CPU on a thread
 * that should only start and finish asynchronous work, and every other request on that thread waits behind it.
 *
 * <p>{@link #wrap} runs on the pool's threads; {@link #check} runs on the watchdog's own scheduler thread and
 * reports each overlong task once, while it is still running, so the stack shows where it is stuck.
 */
final class TaskWatchdog {

    /** What {@link #check} found: the thread, how long its task has run so far, and where it is now. */
    record Report(Thread thread, Duration held, StackTraceElement[] stack) {}

    /** Receives reports; runs on the watchdog thread. */
    interface Listener {
        void overdue(Report report);
    }

    private static final class Running {
        final long startNanos;
        volatile boolean reported;

        Running(long startNanos) {
            this.startNanos = startNanos;
        }
    }

    private final long thresholdNanos;
    private final LongSupplier nanoClock;
    private final Listener listener;
    private final Map<Thread, Running> running = new ConcurrentHashMap<>();

    TaskWatchdog(Duration threshold, LongSupplier nanoClock, Listener listener) {
        this.thresholdNanos = threshold.toNanos();
        this.nanoClock = nanoClock;
        this.listener = listener;
    }

    Runnable wrap(Runnable task) {
        return () -> {
            Thread self = Thread.currentThread();
            running.put(self, new Running(nanoClock.getAsLong()));
            try {
                task.run();
            } finally {
                running.remove(self);
            }
        };
    }

    /** Reports every task over the threshold that was not reported yet. */
    void check() {
        long now = nanoClock.getAsLong();
        running.forEach((thread, task) -> {
            long held = now - task.startNanos;
            if (held > thresholdNanos && !task.reported) {
                task.reported = true;
                listener.overdue(new Report(thread, Duration.ofNanos(held), thread.getStackTrace()));
            }
        });
    }
}
