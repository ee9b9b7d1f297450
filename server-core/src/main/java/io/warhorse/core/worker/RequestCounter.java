package io.warhorse.core.worker;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.warhorse.core.logging.AccessLog;
import io.warhorse.core.metrics.RequestInstrumentation;

/**
 * The one instrumentation point of a worker, after Dropwizard's instrumented filter: each request admitted is
 * counted in flight (the heartbeat, {@code ctl status}, the drain) and, when it completes, counted served, timed
 * into the request metrics (when on) and written to the access log (when on, in a built-in format). All of it runs
 * in one completion listener shared by every request, with the start time Undertow records: observability adds no
 * handler layer, no listener and no allocation of its own to a request.
 *
 * <p>Runs on the I/O thread; the completion on whichever thread ends the exchange.
 */
final class RequestCounter implements HttpHandler, ExchangeCompletionListener {

    private final Counter total;
    private final Counter active;
    private final RequestInstrumentation timing;
    private final AccessLog log;
    private final HttpHandler next;

    /**
     * @param timing request metrics, or null when they are off
     * @param log    the access log in a built-in format, or null (off, or an Undertow pattern wrapped elsewhere)
     */
    RequestCounter(MetricRegistry metrics, RequestInstrumentation timing, AccessLog log, HttpHandler next) {
        this.total = metrics.counter("requests.total");
        this.active = metrics.counter("requests.active");
        this.timing = timing;
        this.log = log;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        active.inc();
        exchange.addExchangeCompleteListener(this);
        next.handleRequest(exchange);
    }

    /**
     * Undertow reads a connection's next request only once every completion listener has run: the metrics and the
     * log line are written after {@code proceed()}, so they never delay the client's next request on its
     * keep-alive connection (measured on the virtual kind: before them, ~10% of S1's throughput). The exchange is
     * not reused after its completion, so reading it then is safe; its end time is taken before.
     */
    @Override
    public void exchangeEvent(HttpServerExchange exchange, NextListener nextListener) {
        long end = System.nanoTime();
        active.dec();
        total.inc();
        try {
            nextListener.proceed();
        } finally {
            if (timing != null) {
                timing.record(exchange, end);
            }
            if (log != null) {
                log.log(exchange, end);
            }
        }
    }

    long total() {
        return total.getCount();
    }

    long active() {
        return active.getCount();
    }
}
