package io.warhorse.worker.sync;

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
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code sync}: a fixed pool of {@code threads} platform threads, one per request in flight, with a queue of
 * {@code queue} requests waiting for a thread. A request that finds both full is answered 503 with Retry-After at
 * once, so a full worker says so instead of hanging.
 * gunicorn's sync/gthread model, for apps that need a predictable number of threads (a JDBC pool of the same size).
 */
public final class SyncWorkerKind implements WorkerKind {

    @Override
    public String name() {
        return "sync";
    }

    @Override
    public String summary() {
        return "a bounded pool of platform threads (--threads) plus a bounded queue (--queue); overflow gets 503";
    }

    @Override
    public RequestRunner start(KindContext context) {
        var settings = context.settings();
        // The admission limit (threads + queue requests in flight) is the cap. The pool's queue has room for every
        // admitted request, because a finished request leaves the count a moment before its thread is free again.
        ThreadPoolExecutor pool = context.threads().boundedPool("sync", settings.threads(), settings.threads() + settings.queue());
        context.metrics().gauge("worker.sync.active", () -> (Gauge<Integer>) pool::getActiveCount);
        context.metrics().gauge("worker.sync.queued", () -> (Gauge<Integer>) () -> pool.getQueue().size());
        return new Runner(pool, settings.threads() + settings.queue(), context.metrics().counter("requests.rejected.worker"));
    }

    private record Runner(ThreadPoolExecutor pool, int maxInFlight, Counter rejected) implements RequestRunner {

        @Override
        public void configure(DeploymentInfo deployment) {
            deployment.setExecutor(pool);
            deployment.setAsyncExecutor(pool);
        }

        @Override
        public HttpHandler admit(HttpHandler next) {
            // Refusing here, before the pool, lets the 503 carry Retry-After; the pool's own refusal stays as a
            // backstop for async dispatches, which Undertow also answers 503.
            return new AdmissionLimit(maxInFlight, rejected, next);
        }

        @Override
        public ByteBufferPool bufferPool() {
            return new DefaultByteBufferPool(true, 16 * 1024, -1, 4);
        }

        @Override
        public void close() {
            pool.shutdownNow();
            try {
                pool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
