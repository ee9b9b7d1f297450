package io.warhorse.core.worker;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

/**
 * Liveness and readiness, answered on the XNIO I/O thread before any app code, admission limit or queue: they stay
 * fast when every request thread is busy or blocked, which is when a load balancer or Kubernetes most needs a true
 * answer. Liveness is always 200 while the worker runs; readiness turns 503 when the worker is told to stop
 * taking traffic (drain-delay) and while it drains.
 */
public final class HealthEndpoints implements HttpHandler {

    private final String livenessPath;
    private final String readinessPath;
    private final HttpHandler next;
    private volatile boolean ready = true;

    public HealthEndpoints(String livenessPath, String readinessPath, HttpHandler next) {
        this.livenessPath = livenessPath;
        this.readinessPath = readinessPath;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        if (path.equals(livenessPath)) {
            answer(exchange, StatusCodes.OK, "ok\n");
        } else if (path.equals(readinessPath)) {
            answer(exchange, ready ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, ready ? "ready\n" : "draining\n");
        } else {
            next.handleRequest(exchange);
        }
    }

    /** From now on readiness answers 503; requests are still served. */
    public void unready() {
        ready = false;
    }

    private static void answer(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(body);
    }
}
