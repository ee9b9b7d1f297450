package io.warhorse.worker.virtual;

import io.warhorse.core.spi.ChecksWhileBusy;
import io.warhorse.core.spi.Route;
import io.warhorse.core.spi.SharedWork;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * Notices a request that keeps a carrier thread busy with CPU, without parking, for longer than a threshold. On
 * JDK 25 a virtual thread is never preempted for time: once mounted it holds its carrier (one per core) until it
 * parks, blocks or ends, so a CPU-heavy route delays every virtual thread queued behind it.
 *
 * <p>How, and why this way. The JDK has no public API for a virtual thread's CPU time ({@code ThreadMXBean}
 * returns -1 for virtual threads), no JFR event for a long mount, and its scheduler is not public API. What it does
 * give, cheaply: {@link Thread#getState()} (a parked virtual thread is WAITING or TIMED_WAITING, a blocked one
 * BLOCKED, a mounted one and one waiting for a carrier both RUNNABLE), the carrier a mounted virtual thread runs on
 * ({@code Thread.toString()} ends in {@code @ForkJoinPool-1-worker-N} while mounted, nothing otherwise; the format is
 * not specified, so a thread that never shows one is simply never caught), and the CPU time of that carrier, a
 * platform thread ({@code ThreadMXBean.getThreadCpuTime}). So {@link #check}, every period (about half the
 * threshold), looks at each request older than half a period: a request seen on the same carrier at three or more
 * consecutive checks, RUNNABLE each time, whose carrier used at least the threshold of CPU since the first of them,
 * is caught, once. A check that comes more than two periods after the last (the watch itself was starved) starts
 * every count again, since what happened in the gap cannot be told. The carrier's CPU is read before each look (and
 * after a first sighting), so what is counted was used between two looks that saw the request mounted, even when
 * the watch's own thread is descheduled in the middle of a check. A CPU clock, not the wall clock, so a carrier
 * descheduled by a busy machine (or stopped by GC) adds nothing; getState and toString cost well under a
 * microsecond each, and the stack is taken only for a caught request. A request running {@link SharedWork} (a
 * session store's batch, for many requests) is not counted while it does.
 *
 * <p>What went wrong before, measured with the session-counter app on Redis: its route was moved by two catches of
 * its first requests (class loading, interpreted code: 2 to 4 ms of CPU each, warm 0.5 ms; see {@link JitWarmth}),
 * and later by a check whose thread was descheduled between seeing the request mounted and reading its carrier's
 * CPU, which then credited it with 3.7 ms used in 0.2 ms of the check's clock, most of it after the request ended.
 *
 * <p>Limits: a park and a remount on the same carrier between two looks is not seen, so the carrier's CPU between
 * them may be other virtual threads' (a request leading a Redis pipeline parks for tens of microseconds). So a catch
 * is only an accusation: after {@code offload.strikes} of them the route goes on trial, and {@link PlatformRefuge}
 * measures its requests exactly before anything moves. A run shorter than about the threshold plus a period is
 * missed, which only means a route must be a little heavier than the threshold to be caught. Where the JVM cannot
 * measure thread CPU time, nothing is caught.
 *
 * <p>Started with {@link #checkOn}, it checks every period while a request runs and not at all while none does:
 * an idle worker's watch would otherwise wake its thread a thousand times a second (18-22 ms of CPU per second of
 * idling on a 2-core VM, 2 ms with the JIT sampler alone; and some of a booting worker's CPU): see
 * {@link ChecksWhileBusy}.
 *
 * <p>{@link #wrap} runs on the request's virtual thread; {@link #check} on the watch's own scheduler thread.
 */
final class CarrierWatch {

    /** What the JDK says about threads; {@link CarrierProbe} asks it, tests fake it. */
    interface Probe {
        Thread.State state(Thread thread);

        /** The carrier's name while {@code thread} is mounted, else null. */
        String carrier(Thread thread);

        /** CPU time the named carrier has used, in nanoseconds, or -1 if it cannot be told. */
        long cpuNanos(String carrier);
    }

    /** A caught request: its route, its thread, the carrier CPU it used without parking, where it is now. */
    record Report(Route route, Thread thread, Duration cpu, StackTraceElement[] stack) {}

    /** Receives reports; runs on the watch's thread. */
    interface Listener {
        void caught(Report report);
    }

    private static final class Running {
        final Route route;
        final long startNanos;
        String carrier;
        long mountCpu;
        int sightings;
        boolean reported;

        Running(Route route, long startNanos) {
            this.route = route;
            this.startNanos = startNanos;
        }
    }

    /** Checks in a row that must see a request on the same carrier: a single pair could be a coincidence. */
    private static final int MIN_SIGHTINGS = 3;

    private final long thresholdNanos;
    private final long minAgeNanos;
    private final LongSupplier clock;
    private final Probe probe;
    private final Listener listener;
    private final Map<Thread, Running> running = new ConcurrentHashMap<>();
    private final long periodNanos;
    private long lastCheck = -1;
    private final ChecksWhileBusy checks;

    CarrierWatch(Duration threshold, Duration period, LongSupplier clock, Probe probe, Listener listener) {
        this.thresholdNanos = threshold.toNanos();
        this.periodNanos = period.toNanos();
        this.minAgeNanos = periodNanos / 2;
        this.clock = clock;
        this.probe = probe;
        this.listener = listener;
        this.checks = new ChecksWhileBusy(period, this::check, running::isEmpty, () -> {});
    }

    /** How often {@link #check} should run for {@code threshold}: half of it, at least a millisecond. */
    static Duration period(Duration threshold) {
        // in nanoseconds: Duration.dividedBy goes through BigDecimal, whose class initializer costs ~25 ms
        return Duration.ofNanos(Math.max(threshold.toNanos() / 2, 1_000_000));
    }

    /** Checks on {@code scheduler}'s thread every period from now on while requests run. */
    void checkOn(ScheduledExecutorService scheduler) {
        checks.on(scheduler);
    }

    /** {@code task}, a request of {@code route}, watched while it runs. */
    Runnable wrap(Route route, Runnable task) {
        return () -> {
            Thread self = Thread.currentThread();
            running.put(self, new Running(route, clock.getAsLong()));
            checks.busy(); // one volatile read per request while checks are scheduled
            try {
                task.run();
            } finally {
                running.remove(self);
            }
        };
    }

    /** Whether checks are scheduled: from a request's start until a check finds none running. */
    boolean scheduled() {
        return checks.scheduled();
    }

    /** Looks at every request running; reports each one caught, once. */
    void check() {
        long now = clock.getAsLong();
        boolean late = lastCheck >= 0 && now - lastCheck > 2 * periodNanos;
        lastCheck = now;
        running.forEach((thread, task) -> {
            if (late) {
                task.carrier = null; // unseen for too long: whether it parked meanwhile cannot be told
            }
            inspect(thread, task, now);
        });
    }

    private void inspect(Thread thread, Running task, long now) {
        if (task.reported || now - task.startNanos < minAgeNanos) {
            return;
        }
        // the carrier's CPU is read before the look, and at a first sighting after it: the CPU counted was used
        // between two looks that saw the request mounted, even if this thread is descheduled mid-check
        long cpu = task.carrier == null ? -1 : probe.cpuNanos(task.carrier);
        String carrier = probe.state(thread) == Thread.State.RUNNABLE && !SharedWork.underway(thread)
                ? probe.carrier(thread) : null;
        if (carrier == null) {
            task.carrier = null; // parked, blocked, waiting for a carrier, or working for other requests
            return;
        }
        if (!carrier.equals(task.carrier) || cpu < 0) {
            task.mountCpu = probe.cpuNanos(carrier);
            task.carrier = task.mountCpu < 0 ? null : carrier;
            task.sightings = 1;
        } else if (++task.sightings >= MIN_SIGHTINGS && cpu - task.mountCpu >= thresholdNanos) {
            task.reported = true;
            listener.caught(new Report(task.route, thread, Duration.ofNanos(cpu - task.mountCpu), thread.getStackTrace()));
        }
    }
}
