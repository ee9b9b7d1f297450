package io.warhorse.worker.async;

import io.warhorse.core.spi.Route;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Notices a task that holds one of the async kind's few threads longer than a threshold: asyncio's
 * slow-callback warning. Such a task is blocking (JDBC, sleep, a synchronous HTTP call) or burning CPU on a thread
 * that should only start and finish asynchronous work, and every other request on that thread waits behind it.
 *
 * <p>A task of a servlet's request is wrapped with its {@link Route}, so a report says which route held the thread
 * (the kind then counts it against the route, which moves to virtual threads after a few); other tasks
 * ({@code AsyncContext.start}) are reported without one.
 *
 * <p>{@link #wrap} runs on the pool's threads; {@link #check} runs on the watchdog's own scheduler thread and
 * reports each overlong task once, while it is still running, so the stack shows where it is stuck.
 */
final class TaskWatchdog {

    /** What {@link #check} found: the thread, how long its task has run so far, where it is now, its route or null. */
    record Report(Thread thread, Duration held, StackTraceElement[] stack, Route route) {}

    /** Receives reports; runs on the watchdog thread. */
    interface Listener {
        void overdue(Report report);
    }

    private static final class Running {
        final long startNanos;
        final Route route;
        volatile boolean reported;

        Running(long startNanos, Route route) {
            this.startNanos = startNanos;
            this.route = route;
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
        return wrap(null, task);
    }

    /** {@code task}, run on behalf of {@code route} (null for none). */
    Runnable wrap(Route route, Runnable task) {
        return () -> {
            Thread self = Thread.currentThread();
            running.put(self, new Running(nanoClock.getAsLong(), route));
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
                listener.overdue(new Report(thread, Duration.ofNanos(held), thread.getStackTrace(), task.route));
            }
        });
    }
}
