package io.warhorse.core.worker;

import io.undertow.server.ConnectorStatistics;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.warhorse.core.edge.Http2Connections;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Lets a stopping worker finish without failing a request. Undertow's GracefulShutdownHandler answers 503 to any
 * request that arrives on a kept-alive connection after shutdown starts, which a client under steady load sees
 * as a lost request. Here such a request is served, with {@code Connection: close}, so each client learns to
 * reconnect, to a worker still accepting, from the response itself; an HTTP/2 connection is sent a GOAWAY that
 * lets its streams in flight finish ({@link Http2Connections}).
 *
 * <p>{@link #handleRequest} runs on the I/O thread; {@link #await} on the thread stopping the worker.
 */
final class Drain implements HttpHandler {

    /** After the last request finishes, how long open connections get to send one more (and be told to close). */
    private static final Duration LINGER = Duration.ofSeconds(1);

    private final HttpHandler next;
    private final LongSupplier active;
    private volatile boolean draining;
    private volatile ConnectorStatistics connections;
    private volatile Http2Connections http2;

    /** @param active the requests in flight (the worker's {@link RequestCounter}) */
    Drain(HttpHandler next, LongSupplier active) {
        this.next = next;
        this.active = active;
    }

    /** The connections to wait for: HTTP/1.1 ones (counted by Undertow's listener) and HTTP/2 ones. */
    void watch(ConnectorStatistics statistics, Http2Connections http2) {
        this.connections = statistics;
        this.http2 = http2;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (draining) {
            exchange.setPersistent(false);
        }
        next.handleRequest(exchange);
    }

    /** HTTP/1.1 requests get {@code Connection: close} from now on; HTTP/2 connections a GOAWAY. */
    void start() {
        draining = true;
        Http2Connections h2 = http2;
        if (h2 != null) {
            h2.goAway();
        }
    }

    /**
     * Waits until no request is in flight and the open connections have closed (or lingered {@link #LINGER}),
     * at most {@code grace}. Returns false if requests were still running at the deadline.
     */
    boolean await(Duration grace, LongSupplier nanoClock) throws InterruptedException {
        long deadline = nanoClock.getAsLong() + grace.toNanos();
        long idleSince = 0;
        while (nanoClock.getAsLong() < deadline) {
            long now = nanoClock.getAsLong();
            if (active.getAsLong() > 0) {
                idleSince = 0;
            } else {
                idleSince = idleSince == 0 ? now : idleSince;
                if (openConnections() == 0 || now - idleSince >= LINGER.toNanos()) {
                    return true;
                }
            }
            Thread.sleep(5); // polling two counters; the I/O threads must not be made to signal us
        }
        return active.getAsLong() == 0;
    }

    private long openConnections() {
        ConnectorStatistics statistics = connections;
        Http2Connections h2 = http2;
        return (statistics == null ? 0 : statistics.getActiveConnections()) + (h2 == null ? 0 : h2.open());
    }
}
