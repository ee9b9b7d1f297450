package io.warhorse.core.spi;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Work a request's thread does for other requests too: a session store's batch (one Redis pipeline, one SQLite
 * transaction for every request waiting on the connection), run by whichever request found the connection free.
 * The virtual kind's offload must not charge it to that request's route: its carrier is busy for the store, on
 * behalf of many routes, and moving the route to a small platform pool would only starve the batching. So its
 * carrier watch does not count a run while {@link #underway}, and its platform pool deducts {@link #cpuNanos} from
 * the request's own CPU time.
 *
 * <p>Any thread; nesting counts once. Costs a set insertion and removal per batch, plus two reads of the thread's
 * CPU clock on a platform thread.
 */
public final class SharedWork {

    private static final Set<Thread> UNDERWAY = ConcurrentHashMap.newKeySet();
    private static final ThreadLocal<long[]> CPU = ThreadLocal.withInitial(() -> new long[1]);

    private SharedWork() {}

    /** Runs {@code work} on this thread, marked as working for other requests. */
    public static void run(Runnable work) {
        Thread self = Thread.currentThread();
        if (!UNDERWAY.add(self)) {
            work.run();
            return;
        }
        long start = self.isVirtual() ? -1 : ThreadCpu.current();
        try {
            work.run();
        } finally {
            UNDERWAY.remove(self);
            long end = start < 0 ? -1 : ThreadCpu.current();
            if (end >= 0) {
                CPU.get()[0] += end - start;
            }
        }
    }

    /** True while {@code thread} runs shared work. */
    public static boolean underway(Thread thread) {
        return UNDERWAY.contains(thread);
    }

    /** CPU nanoseconds the current platform thread has spent on shared work so far (0 on a virtual thread). */
    public static long cpuNanos() {
        return Thread.currentThread().isVirtual() ? 0 : CPU.get()[0];
    }
}
