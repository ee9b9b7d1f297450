package io.warhorse.core.worker;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The one instrumentation point of a worker, after Dropwizard's instrumented filter: each request admitted is
 * counted in flight (the heartbeat, {@code ctl status}, the drain) and, when it completes, counted served and
 * handed, with its end time, to the {@link CompletionRecorder} that times it into the request metrics (when on)
 * and writes its access line (when on, in a built-in format) on a thread of its own. All of it runs in one
 * completion listener shared by every request, with the start time Undertow records: observability adds no
 * handler layer and no listener of its own to a request.
 *
 * <p>Runs on the I/O thread; the completion on whichever thread ends the exchange.
 */
final class RequestCounter implements HttpHandler, ExchangeCompletionListener {

    private final Counter total;
    private final Counter active;
    private final CompletionRecorder recorder;
    private final HttpHandler next;
    private final IoThreadHandoff handoff = new IoThreadHandoff();

    /** @param recorder what records completed requests, or null when neither metrics nor a built-in access log is on */
    RequestCounter(MetricRegistry metrics, CompletionRecorder recorder, HttpHandler next) {
        this.total = metrics.counter("requests.total");
        this.active = metrics.counter("requests.active");
        this.recorder = recorder;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        active.inc();
        exchange.addExchangeCompleteListener(this);
        next.handleRequest(exchange);
    }

    /**
     * Counts and queues the request, then hands the rest of the completion (Undertow's: resuming reads on the
     * keep-alive connection for its next request) to the connection's I/O thread when another thread ended the
     * exchange. Resumed from a request thread, each request took the I/O thread's selector lock, which that thread
     * holds while it makes its epoll_ctl calls: on the virtual kind, request threads piled up BLOCKED on it (a
     * thread dump under S1 showed 62 at once), each parked and then rescheduled by the JDK's unblocker thread. On
     * the I/O thread it is a local change. S1, the same build with and without this (2 rounds of 2 pairs each):
     * virtual 33.5k -> 50.4k req/s, CPU per request 43 -> 26 us; sync 39.6k -> 44.6k req/s. The hand-over goes
     * through {@link IoThreadHandoff}, in batches, not through XNIO's execute, one lock and wake-up per request.
     */
    @Override
    public void exchangeEvent(HttpServerExchange exchange, NextListener nextListener) {
        long end = System.nanoTime();
        active.dec();
        total.inc();
        if (recorder != null) {
            recorder.add(exchange, end, System.currentTimeMillis());
        }
        if (exchange.isInIoThread()) {
            nextListener.proceed();
        } else {
            handoff.run(exchange.getIoThread(), nextListener::proceed);
        }
    }

    long total() {
        return total.getCount();
    }

    long active() {
        return active.getCount();
    }
}
