package io.warhorse.core.worker;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Counts the requests a worker admits and completes, for its heartbeat (the master's max-requests recycling and
 * {@code ctl status}). Runs on the I/O thread; the completion side on whichever thread ends the exchange.
 */
final class RequestCounter implements HttpHandler {

    private final Counter total;
    private final Counter active;
    private final HttpHandler next;

    RequestCounter(MetricRegistry metrics, HttpHandler next) {
        this.total = metrics.counter("requests.total");
        this.active = metrics.counter("requests.active");
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        active.inc();
        exchange.addExchangeCompleteListener((done, nextListener) -> {
            active.dec();
            total.inc();
            nextListener.proceed();
        });
        next.handleRequest(exchange);
    }

    long total() {
        return total.getCount();
    }

    long active() {
        return active.getCount();
    }
}
