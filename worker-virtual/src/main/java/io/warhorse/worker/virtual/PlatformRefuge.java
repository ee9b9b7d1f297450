package io.warhorse.worker.virtual;

import io.warhorse.core.spi.KernelThreadState;
import io.warhorse.core.spi.Placement;
import io.warhorse.core.spi.Route;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;

/**
 * Where the virtual kind moves a CPU-bound route: a pool of one platform thread per core with a bounded queue, so
 * the OS shares the cores between it and the carriers; a full pool refuses, and Undertow answers 503.
 *
 * <p>A move can be wrong: a route whose requests compute for a few milliseconds and then wait on a database would,
 * on so few threads, be throttled to a trickle. So each request run here is accounted with the kernel's own
 * figures for its thread ({@link KernelThreadState#times}: time on a CPU, time runnable but waiting for one): the
 * rest of its wall time it was asleep (a socket read, a sleep, a park). After {@value #REQUESTS} requests of a
 * route, if they were asleep for more than three quarters of their time, the route is released back to virtual
 * threads for good. Not half: S4's CPU-bound /cpu requests, on a busy machine, were measured asleep for 52% of
 * theirs (hand-offs to the I/O thread, whose locks a preempted holder keeps), while a route that computes a few
 * milliseconds and then waits on a database is asleep for nine tenths and more. Time spent waiting for a CPU counts as working, so a busy machine does not send a CPU-bound route back (the
 * JVM alone cannot tell the two: a thread preempted in a system call and one in a blocking read are both RUNNABLE
 * in a native method). Costs two reads of a small {@code /proc} file per request of a moved route; where there is
 * no {@code /proc}, nothing is released.
 *
 * <p>{@link #execute} runs on the I/O thread; the tasks and their accounts on the pool's threads.
 */
final class PlatformRefuge implements Placement {

    static final int REQUESTS = 20;

    private final ExecutorService pool;
    private final BiConsumer<Route, String> release;
    private final Map<Route, long[]> accounts = new ConcurrentHashMap<>();

    /** @param release takes a route back to the kind's own threads, with the reason (the offload's release) */
    PlatformRefuge(ExecutorService pool, BiConsumer<Route, String> release) {
        this.pool = pool;
        this.release = release;
    }

    @Override
    public void execute(Route route, Runnable task) {
        pool.execute(() -> {
            Thread self = Thread.currentThread();
            long start = System.nanoTime();
            long[] before = KernelThreadState.times(self);
            try {
                task.run();
            } finally {
                long[] after = before == null ? null : KernelThreadState.times(self);
                if (after != null) {
                    account(route, System.nanoTime() - start, after[0] - before[0] + after[1] - before[1]);
                }
            }
        });
    }

    /** Adds one request's wall time and the part of it spent on or waiting for a CPU; releases a sleepy route. */
    private void account(Route route, long wall, long working) {
        long[] totals = accounts.computeIfAbsent(route, r -> new long[3]);
        long asleep;
        long all;
        synchronized (totals) {
            totals[0] += wall;
            totals[1] += Math.max(0, wall - working);
            if (++totals[2] < REQUESTS) {
                return;
            }
            all = totals[0];
            asleep = totals[1];
            totals[0] = totals[1] = totals[2] = 0;
        }
        if (asleep * 4 > all * 3) {
            release.accept(route, "on the platform pool its last " + REQUESTS + " requests were asleep (a socket read, "
                    + "a sleep, a park) for " + asleep * 100 / Math.max(1, all) + "% of their time: it is not CPU-bound");
        }
    }
}
