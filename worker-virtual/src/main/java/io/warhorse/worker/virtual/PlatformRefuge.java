package io.warhorse.worker.virtual;

import io.warhorse.core.spi.Dispatches;
import io.warhorse.core.spi.Placement;
import io.warhorse.core.spi.Route;
import io.warhorse.core.spi.SharedWork;
import io.warhorse.core.spi.ThreadCpu;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Where the virtual kind moves a CPU-bound route, and where it tries one first: a pool of one platform thread per
 * core with a bounded queue, so the OS shares the cores between it and the carriers; a full pool refuses, and
 * Undertow answers 503.
 *
 * <p>The judge. The carrier watch only samples, and sampling cannot tell a request that keeps its carrier from one
 * that parks and comes back to the same carrier between two looks (a loopback Redis or database round trip takes
 * tens of microseconds), so it only accuses. Here a request runs alone on its own platform thread, whose CPU clock
 * measures exactly the CPU the request used, less what it spent working for other requests ({@link SharedWork}: a
 * session store's batch). A request that used less than {@code offload.cpu-threshold} in all cannot have kept a
 * carrier busy that long without parking. So for every {@value #REQUESTS} requests of a route run here, the route
 * is judged to hold the carriers if at least half of them used the threshold: a route on trial is then moved, and a
 * moved route whose requests no longer do (or never did) goes back ({@link io.warhorse.core.spi.Offload#judged}).
 * Half, not the {@code offload.strikes} that accuse a route: a route whose requests mostly wait and now and then
 * compute would wait on two threads here, and cold code (the first requests of a route, measured at 2 to 4 ms where
 * 0.5 ms warm) makes some requests of any route heavy for a while. S4's /cpu requests all used the threshold. A busy
 * machine cannot sway the count: time a thread waits for a CPU, or spends stopped by the GC, is not CPU time. A
 * request shed before it reached its app (its client had gone, or it waited past {@code limits.queue-timeout}:
 * {@link Dispatches}) is not counted: after a burst of load, a queue of them would otherwise pass for a route whose
 * requests are cheap.
 *
 * <p>A route on trial runs here only while a thread is free (its requests are refused otherwise, and run on virtual
 * threads): a route that waits on I/O is slowed for a handful of requests at most, not throttled to two threads.
 *
 * <p>{@link #execute} runs on the I/O thread (or a request's thread); the tasks and their accounts on the pool's.
 */
final class PlatformRefuge implements Placement {

    static final int REQUESTS = 20;
    private static final RejectedExecutionException BUSY =
            new RejectedExecutionException("no platform thread free for a route on trial");

    /** Receives each verdict: whether the route's last {@value #REQUESTS} requests hold carriers, and the figures. */
    interface Judge {
        void judged(Route route, boolean holdsCarriers, String evidence);
    }

    private final ThreadPoolExecutor pool;
    private final long thresholdNanos;
    private final Judge judge;
    private final Map<Route, long[]> accounts = new ConcurrentHashMap<>();

    PlatformRefuge(ThreadPoolExecutor pool, Duration threshold, Judge judge) {
        this.pool = pool;
        this.thresholdNanos = threshold.toNanos();
        this.judge = judge;
    }

    @Override
    public void execute(Route route, Runnable task) {
        if (route.onTrial() && pool.getActiveCount() + pool.getQueue().size() >= pool.getMaximumPoolSize()) {
            throw BUSY; // the request runs on a virtual thread instead: often, so without a stack of its own
        }
        pool.execute(() -> {
            long cpu = ThreadCpu.current();
            long shared = SharedWork.cpuNanos();
            long ran = Dispatches.count();
            try {
                task.run();
            } finally {
                if (cpu >= 0 && Dispatches.count() != ran) { // not shed before it ran (its client had gone)
                    account(route, ThreadCpu.current() - cpu - (SharedWork.cpuNanos() - shared));
                }
            }
        });
    }

    /** Adds one request's own CPU time; at each {@value #REQUESTS}th, judges the route. */
    private void account(Route route, long cpu) {
        long[] totals = accounts.computeIfAbsent(route, r -> new long[4]); // requests, over the threshold, sum, max
        long heavy;
        long sum;
        long max;
        synchronized (totals) {
            totals[0]++;
            totals[1] += cpu >= thresholdNanos ? 1 : 0;
            totals[2] += cpu;
            totals[3] = Math.max(totals[3], cpu);
            if (totals[0] < REQUESTS) {
                return;
            }
            heavy = totals[1];
            sum = totals[2];
            max = totals[3];
            totals[0] = totals[1] = totals[2] = totals[3] = 0;
        }
        judge.judged(route, heavy * 2 >= REQUESTS, String.format("on a platform thread, %d of its last %d requests used "
                + "offload.cpu-threshold (%.1f ms) of CPU or more (on average %.2f ms, at most %.2f ms, not counting "
                + "work for other requests)", heavy, REQUESTS, thresholdNanos / 1e6, sum / 1e6 / REQUESTS, max / 1e6));
    }
}
