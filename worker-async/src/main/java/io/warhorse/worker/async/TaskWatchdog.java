package io.warhorse.worker.async;

import io.warhorse.core.spi.ChecksWhileBusy;
import io.warhorse.core.spi.KernelThreadState;
import io.warhorse.core.spi.Route;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Notices a task that holds one of the async kind's few threads longer than a threshold: asyncio's
 * slow-callback warning. Such a task is blocking (JDBC, sleep, a synchronous HTTP call) or burning CPU on a thread
 * that should only start and finish asynchronous work, and every other request on that thread waits behind it.
 *
 * <p>A task over the threshold is reported only with evidence that it holds the thread itself: the thread waits
 * (sleeping, parked, in {@code Object.wait}), is asleep in the kernel in a native method (a blocking socket read:
 * RUNNABLE to the JVM, told apart from a thread preempted in a system call by {@link KernelThreadState}), or used at
 * least half the time since the watchdog first saw the task as CPU. A thread that is runnable in Java code and got little CPU
 * was kept from running by a busy machine, which is not its route's fault; nor, by itself, is one BLOCKED entering
 * a monitor: seen under load, both async threads waited on the I/O thread's selector lock while its holder was
 * descheduled (when the holder is a task blocked in I/O, that task is the one reported). Either is looked at again
 * at the next check.
 * Likewise, when the watchdog's own checks run late (the process was stopped: a GC pause, a starved machine), the
 * lateness is not counted against the tasks.
 *
 * <p>A task of a servlet's request is wrapped with its {@link Route}, so a report says which route held the thread
 * (the kind then counts it against the route, which moves off the kind's threads after a few); other tasks
 * ({@code AsyncContext.start}) are reported without one.
 *
 * <p>Started with {@link #checkOn}, it checks every period while a task runs and not at all while none does
 * ({@link ChecksWhileBusy}: an idle async worker's watchdog woke 40 times a second, about 9 ms of CPU a second).
 *
 * <p>{@link #wrap} runs on the pool's threads; {@link #check} runs on the watchdog's own scheduler thread and
 * reports each overlong task once, while it is still running, so the stack shows where it is stuck.
 */
final class TaskWatchdog {

    /**
     * What {@link #check} found: the thread, how long its task has run so far, where it is now, its route or null,
     * and whether the evidence was CPU use ({@code computing}: runnable in Java code and using the CPU) rather than
     * waiting (parked, sleeping, asleep in the kernel, or a monitor with no CPU clock to tell).
     */
    record Report(Thread thread, Duration held, StackTraceElement[] stack, Route route, boolean computing) {}

    /** Receives reports; runs on the watchdog thread. */
    interface Listener {
        void overdue(Report report);
    }

    private static final class Running {
        volatile long startNanos;
        final Route route;
        long seenNanos = -1;
        long seenCpu;
        volatile boolean reported;

        Running(long startNanos, Route route) {
            this.startNanos = startNanos;
            this.route = route;
        }
    }

    private final long thresholdNanos;
    private final long periodNanos;
    private final LongSupplier nanoClock;
    private final ToLongFunction<Thread> cpuClock;
    private final Listener listener;
    private final Map<Thread, Running> running = new ConcurrentHashMap<>();
    private final ChecksWhileBusy checks;
    private long lastCheck = -1;

    /**
     * @param period   how often {@link #check} runs
     * @param cpuClock a thread's CPU time in nanoseconds, -1 where it cannot be told
     */
    TaskWatchdog(Duration threshold, Duration period, LongSupplier nanoClock, ToLongFunction<Thread> cpuClock, Listener listener) {
        this.thresholdNanos = threshold.toNanos();
        this.periodNanos = period.toNanos();
        this.nanoClock = nanoClock;
        this.cpuClock = cpuClock;
        this.listener = listener;
        // a pause that follows is not lateness of the watchdog's own checks
        this.checks = new ChecksWhileBusy(period, this::check, running::isEmpty, () -> lastCheck = -1);
    }

    Runnable wrap(Runnable task) {
        return wrap(null, task);
    }

    /** Checks on {@code scheduler}'s thread every period from now on while tasks run. */
    void checkOn(ScheduledExecutorService scheduler) {
        checks.on(scheduler);
    }

    /** Whether checks are scheduled: from a task's start until a check finds none running. */
    boolean scheduled() {
        return checks.scheduled();
    }

    /** {@code task}, run on behalf of {@code route} (null for none). */
    Runnable wrap(Route route, Runnable task) {
        return () -> {
            Thread self = Thread.currentThread();
            running.put(self, new Running(nanoClock.getAsLong(), route));
            checks.busy();
            try {
                task.run();
            } finally {
                running.remove(self);
            }
        };
    }

    /** Reports every task over the threshold, with evidence that it holds its thread, that was not reported yet. */
    void check() {
        long now = nanoClock.getAsLong();
        long late = lastCheck < 0 ? 0 : now - lastCheck - periodNanos;
        lastCheck = now;
        running.forEach((thread, task) -> {
            if (late > periodNanos) {
                task.startNanos += late; // the watchdog itself did not run: neither, likely, did the task
            }
            if (!task.reported) {
                inspect(thread, task, now);
            }
        });
    }

    private void inspect(Thread thread, Running task, long now) {
        if (task.seenNanos < 0) {
            task.seenNanos = now;
            task.seenCpu = cpuClock.applyAsLong(thread);
        }
        long held = now - task.startNanos;
        if (held <= thresholdNanos) {
            return;
        }
        Thread.State state = thread.getState();
        // the kernel's view before the stack: taking a stack stops the thread for a moment, asleep in the kernel
        char kernel = state == Thread.State.RUNNABLE ? KernelThreadState.of(thread) : KernelThreadState.UNKNOWN;
        StackTraceElement[] stack = thread.getStackTrace();
        Evidence evidence = evidence(state, kernel, stack, thread, task, now);
        if (evidence != Evidence.NONE) {
            task.reported = true;
            listener.overdue(new Report(thread, Duration.ofNanos(held), stack, task.route, evidence == Evidence.COMPUTING));
        }
    }

    private enum Evidence { NONE, WAITING, COMPUTING }

    private Evidence evidence(Thread.State state, char kernel, StackTraceElement[] stack, Thread thread, Running task,
                              long now) {
        if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
            return Evidence.WAITING;
        }
        if (state == Thread.State.RUNNABLE) {
            // in native code: a blocking read, or preempted in a system call; only the kernel can tell. In Java code,
            // asleep in the kernel means stopped by the JVM for a moment (a safepoint, a stack taken), not waiting.
            boolean inNative = stack.length > 0 && stack[0].isNativeMethod();
            if (inNative && (kernel == 'S' || kernel == 'D' || kernel == KernelThreadState.UNKNOWN)) {
                return Evidence.WAITING;
            }
        }
        long cpu = cpuClock.applyAsLong(thread);
        if (cpu < 0 || task.seenCpu < 0) { // no CPU clock: a thread runnable in Java code is taken to compute
            return state == Thread.State.RUNNABLE ? Evidence.COMPUTING : Evidence.WAITING;
        }
        return (cpu - task.seenCpu) * 2 >= now - task.seenNanos ? Evidence.COMPUTING : Evidence.NONE;
    }
}
