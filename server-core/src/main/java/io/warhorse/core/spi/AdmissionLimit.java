package io.warhorse.core.spi;

import com.codahale.metrics.Counter;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the requests in flight in a worker: one over the cap is answered {@code 503} with {@code Retry-After} on the
 * I/O thread at once, never parked. Undertow's {@code RequestLimitingHandler} is not used here because its
 * "no queue" means an unbounded queue.
 *
 * <p>Runs on the XNIO I/O thread; the count drops when the exchange completes, on whatever thread ends it.
 */
public final class AdmissionLimit implements HttpHandler {

    private final int max;
    private final HttpHandler next;
    private final HttpHandler refuse;
    private final AtomicInteger inFlight = new AtomicInteger();

    /** A worker-wide cap; refusals are answered 503 and counted in {@code rejected}. */
    public AdmissionLimit(int max, Counter rejected, HttpHandler next) {
        this(max, next, exchange -> {
            rejected.inc();
            reject(exchange, "this worker is at its limit of " + max + " concurrent requests");
        });
    }

    public AdmissionLimit(int max, HttpHandler next, HttpHandler refuse) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        this.max = max;
        this.next = next;
        this.refuse = refuse;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (inFlight.incrementAndGet() > max) {
            inFlight.decrementAndGet();
            refuse.handleRequest(exchange);
            return;
        }
        exchange.addExchangeCompleteListener((done, nextListener) -> {
            inFlight.decrementAndGet();
            nextListener.proceed();
        });
        next.handleRequest(exchange);
    }

    /** Requests admitted and not yet complete. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Answers 503 with Retry-After and {@code why}, on the calling (I/O) thread. */
    public static void reject(HttpServerExchange exchange, String why) {
        exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
        exchange.getResponseSender().send("503 Service Unavailable: " + why + "\n");
    }
}
