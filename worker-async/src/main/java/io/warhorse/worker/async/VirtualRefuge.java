package io.warhorse.worker.async;

import io.warhorse.core.spi.Placement;
import io.warhorse.core.spi.Route;
import io.warhorse.core.spi.XnioThreadExit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the async kind moves a route that blocks its threads: a virtual thread per request, so a blocking call
 * waits without holding one of the kind's few threads, at most {@code max} of each route at once
 * ({@code offload.virtual-max}); one more is refused, and Undertow answers it 503. The bound is per route, so a
 * second route moved here does not compete with the first for it; all of them together stay under the worker's
 * own cap of {@code worker-connections}. Each task runs through XNIO's thread-exit hook, as on the
 * virtual kind, or every blocking read would leak a selector. {@link #execute} runs on the I/O thread (or on an
 * async thread, for a task that follows its route); the tasks on their virtual threads.
 */
final class VirtualRefuge implements Placement {

    private final Executor threads;
    private final XnioThreadExit exit;
    private final int max;
    private final Map<Route, AtomicInteger> perRoute = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();

    VirtualRefuge(Executor threads, XnioThreadExit exit, int max) {
        this.threads = threads;
        this.exit = exit;
        this.max = max;
    }

    @Override
    public void execute(Route route, Runnable task) {
        AtomicInteger mine = perRoute.computeIfAbsent(route, r -> new AtomicInteger());
        if (mine.incrementAndGet() > max) {
            mine.decrementAndGet();
            throw new RejectedExecutionException(route + ": " + max + " requests already run on virtual threads (offload.virtual-max)");
        }
        running.incrementAndGet();
        try {
            threads.execute(exit.wrap(() -> {
                try {
                    task.run();
                } finally {
                    running.decrementAndGet();
                    mine.decrementAndGet();
                }
            }));
        } catch (RejectedExecutionException e) {
            running.decrementAndGet();
            mine.decrementAndGet();
            throw e;
        }
    }

    /** Tasks running now, of every route. */
    int running() {
        return running.get();
    }
}
