package io.warhorse.core.worker;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The worker kind's executor for connections' tasks ({@code RequestRunner.Connections#tasks}) as the XNIO worker's
 * task pool, so that what Undertow hands to "a worker thread" (a WebSocket endpoint's {@code @OnMessage}, an HTTP
 * upgrade handler) runs on the kind's threads: a virtual thread per task on the virtual kind, the bounded pools of
 * the others. XNIO treats an external pool as someone else's and never shuts it down; the kind stops its own
 * executor in {@code RequestRunner#close()}. The shutdown methods below exist for the interface only. Called on
 * the I/O threads.
 */
final class ConnectionTasks extends AbstractExecutorService {

    private final Executor tasks;

    ConnectionTasks(Executor tasks) {
        this.tasks = tasks;
    }

    @Override
    public void execute(Runnable task) {
        tasks.execute(task);
    }

    @Override
    public void shutdown() {
        // the kind's to stop
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }
}
