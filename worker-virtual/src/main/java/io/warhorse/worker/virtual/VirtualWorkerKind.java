package io.warhorse.worker.virtual;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.servlet.api.DeploymentInfo;
import io.warhorse.core.spi.KindContext;
import io.warhorse.core.spi.RequestRunner;
import io.warhorse.core.spi.WorkerKind;
import io.warhorse.core.worker.AdmissionLimit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

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
        Runner runner = new Runner(task -> threads.execute(exit.wrap(task)), threads,
                context.settings().workerConnections(), context.metrics().counter("requests.rejected.worker"));
        context.metrics().gauge("worker.virtual.in-flight", () -> (Gauge<Integer>) runner::inFlight);
        return runner;
    }

    /** Buffers kept for reuse: 16 MiB of direct memory at most, enough for a thousand requests writing at once. */
    private static final int POOLED_BUFFERS = 1024;

    private static final class Runner implements RequestRunner {
        private final java.util.concurrent.Executor executor;
        private final ExecutorService threads;
        private final int maxInFlight;
        private final Counter rejected;
        private volatile AdmissionLimit limit;

        Runner(java.util.concurrent.Executor executor, ExecutorService threads, int maxInFlight, Counter rejected) {
            this.executor = executor;
            this.threads = threads;
            this.maxInFlight = maxInFlight;
            this.rejected = rejected;
        }

        @Override
        public void configure(DeploymentInfo deployment) {
            deployment.setExecutor(executor);
            deployment.setAsyncExecutor(executor);
        }

        @Override
        public HttpHandler admit(HttpHandler next) {
            limit = new AdmissionLimit(maxInFlight, rejected, next);
            return limit;
        }

        int inFlight() {
            AdmissionLimit current = limit;
            return current == null ? 0 : current.inFlight();
        }

        /**
         * No per-thread cache (a thread lives for one request), so buffers must come back to the shared queue: its
         * size must be a real bound. With -1, Undertow frees every returned buffer, and each request allocated and
         * zeroed fresh direct memory (a quarter of the CPU time of /hello, measured with JFR).
         */
        @Override
        public ByteBufferPool bufferPool() {
            return new DefaultByteBufferPool(true, 16 * 1024, POOLED_BUFFERS, 0);
        }

        @Override
        public void close() {
            threads.shutdownNow();
            try {
                threads.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
