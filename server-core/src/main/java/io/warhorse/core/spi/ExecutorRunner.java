package io.warhorse.core.spi;

import com.codahale.metrics.Counter;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.servlet.api.DeploymentInfo;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@link RequestRunner} most kinds need: servlets (and {@code AsyncContext.start} tasks) run on one executor,
 * which also runs the connections' tasks (WebSocket endpoint methods, upgrade handlers), a worker-wide cap refuses
 * requests over {@code maxInFlight} with 503 at once, each route gets its share of that capacity
 * ({@link RouteShares}), and closing stops the kind's executors. A kind decides the executor, the cap and the buffer
 * pool; this class only wires them in.
 */
public final class ExecutorRunner implements RequestRunner {

    /** Undertow's own default size: 16 KiB direct buffers. */
    public static final int BUFFER_SIZE = 16 * 1024;

    /**
     * Buffers kept in the shared queue of {@link #buffers()}: 16 MiB of direct memory at most, enough for a
     * thousand requests writing at once.
     */
    static final int POOLED_BUFFERS = 1024;

    private final Executor executor;
    private final int maxInFlight;
    private final Counter rejected;
    private final ByteBufferPool buffers;
    private final List<ExecutorService> owned;
    private final RouteShares shares;
    private volatile AdmissionLimit limit;

    private ExecutorRunner(KindContext context, Executor executor, int running, int waiting, ByteBufferPool buffers,
                           List<ExecutorService> owned) {
        this.executor = executor;
        this.maxInFlight = running + waiting;
        this.rejected = context.metrics().counter("requests.rejected.worker");
        this.buffers = buffers;
        this.owned = owned;
        this.shares = new RouteShares(context.settings().shedding().routeShare(), running, waiting,
                context.metrics().counter("requests.rejected.share"));
    }

    /**
     * A runner whose admitted requests all run at once (a thread each, or async work).
     *
     * @param executor    where servlets run
     * @param maxInFlight requests admitted at once; refusals are counted in {@code requests.rejected.worker}
     * @param buffers     the listener's buffer pool
     * @param owned       executors this runner shuts down on close (the request pool, a watchdog's scheduler)
     */
    public static ExecutorRunner of(KindContext context, Executor executor, int maxInFlight, ByteBufferPool buffers,
                                    ExecutorService... owned) {
        return new ExecutorRunner(context, executor, maxInFlight, 0, buffers, List.of(owned));
    }

    /**
     * A runner over a pool of {@code threads} with a queue of {@code queue}: {@code threads + queue} requests are
     * admitted, and a route's share is a share of the threads.
     */
    public static ExecutorRunner pooled(KindContext context, Executor executor, int threads, int queue,
                                        ByteBufferPool buffers, ExecutorService... owned) {
        return new ExecutorRunner(context, executor, threads, queue, buffers, List.of(owned));
    }

    /**
     * A worker's connection buffers ({@link BufferPool}): 16 KiB direct buffers, four kept by each platform thread
     * (the I/O threads, a pool's request threads) and up to {@value #POOLED_BUFFERS} shared by every thread, virtual
     * threads included (a thread that lives for one request would only churn a cache of its own). The bound is
     * real: a burst's buffers beyond it are left to the garbage collector.
     */
    public static ByteBufferPool buffers() {
        return BufferPool.direct(BUFFER_SIZE, POOLED_BUFFERS, 4);
    }

    @Override
    public void configure(DeploymentInfo deployment) {
        deployment.setExecutor(executor);
        deployment.setAsyncExecutor(executor);
        shares.configure(deployment);
    }

    @Override
    public HttpHandler admit(HttpHandler next) {
        limit = new AdmissionLimit(maxInFlight, rejected, next);
        return limit;
    }

    /** Requests admitted and not yet complete. */
    public int inFlight() {
        AdmissionLimit current = limit;
        return current == null ? 0 : current.inFlight();
    }

    @Override
    public Connections connections() {
        return new Connections(buffers, executor);
    }

    @Override
    public void close() {
        owned.forEach(ExecutorService::shutdownNow);
        try {
            for (ExecutorService service : owned) {
                service.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
