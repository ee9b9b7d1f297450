package io.warhorse.core.worker;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The worker kind's executor as the XNIO worker's task pool, so that work Undertow hands to "a worker thread" (a
 * WebSocket endpoint's {@code @OnMessage}, {@code exchange.dispatch()}) runs where the kind runs servlets: a virtual
 * thread per task on the virtual kind, the bounded pools of the others. XNIO may shut its task pool down; the kind's
 * executor belongs to the kind, which stops it itself, so shutting this view down only marks it.
 */
final class KindTaskPool extends AbstractExecutorService {

    private final Executor executor;
    private volatile boolean shutdown;

    KindTaskPool(Executor executor) {
        this.executor = executor;
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }
}
