package io.warhorse.worker.virtual;

import com.codahale.metrics.Gauge;
import io.undertow.server.DefaultByteBufferPool;
import io.warhorse.core.spi.ExecutorRunner;
import io.warhorse.core.spi.KindContext;
import io.warhorse.core.spi.RequestRunner;
import io.warhorse.core.spi.WorkerKind;
import java.util.concurrent.ExecutorService;

/**
 * {@code virtual}: a new virtual thread for every request, so plain blocking code (JDBC, HTTP clients, sleeps)
 * waits without holding a platform thread and thousands of slow requests run at once. The only cap is
 * {@code worker-connections} requests in flight (gevent's worker_connections); one over it gets 503 at once.
 *
 * <p>Two things differ from a platform pool, both measured: XNIO's blocking streams cache a {@code Selector}
 * per thread, freed only by XNIO's thread-exit hook, so each task runs through {@link XnioThreadExit}; and the
 * buffer pool keeps no per-thread cache, which a thread that lives for one request would only churn, but a
 * bounded shared one.
 */
public final class VirtualWorkerKind implements WorkerKind {

    @Override
    public String name() {
        return "virtual";
    }

    @Override
    public String summary() {
        return "a virtual thread per request, up to --worker-connections in flight; for blocking code (JDBC, HTTP calls)";
    }

    @Override
    public RequestRunner start(KindContext context) {
        ExecutorService threads = context.threads().virtualPerTask("vt");
        XnioThreadExit exit = XnioThreadExit.find();
        // No per-thread buffer cache (a thread lives for one request), so buffers must come back to the shared
        // queue, whose size must be a real bound: with Undertow's -1 every returned buffer is freed, and each request
        // allocated and zeroed fresh direct memory (a quarter of /hello's CPU time, measured with JFR).
        ExecutorRunner runner = ExecutorRunner.of(context, task -> threads.execute(exit.wrap(task)),
                context.settings().workerConnections(),
                new DefaultByteBufferPool(true, ExecutorRunner.BUFFER_SIZE, POOLED_BUFFERS, 0), threads);
        context.metrics().gauge("worker.virtual.in-flight", () -> (Gauge<Integer>) runner::inFlight);
        return runner;
    }

    /** Buffers kept for reuse: 16 MiB of direct memory at most, enough for a thousand requests writing at once. */
    private static final int POOLED_BUFFERS = 1024;
}
