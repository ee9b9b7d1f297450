package io.warhorse.core.worker;

import io.warhorse.core.spi.AdmissionLimit;
import io.warhorse.core.spi.RouteShares;
import com.codahale.metrics.Counter;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.RequestLimit;
import io.warhorse.core.config.RouteLimit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bulkheads per URL pattern ({@code limits.routes}): each pattern has its own cap and bounded queue, so a route
 * whose backend is slow fills only its own slots and the rest of the app keeps its threads. Waiting requests are
 * suspended, not parked on a thread (Undertow's {@link RequestLimit}); a request over cap and queue gets 503 with
 * {@code Retry-After} at once. Matching follows servlet mappings: exact, then longest prefix, then extension. A
 * request one of these admits is marked, so the default share of its route ({@link RouteShares}) leaves it alone.
 * Runs on the I/O thread.
 */
final class RouteLimits implements HttpHandler {

    private final Map<String, HttpHandler> exact = new HashMap<>();
    private final List<Map.Entry<String, HttpHandler>> prefixes = new ArrayList<>();
    private final Map<String, HttpHandler> extensions = new HashMap<>();
    private final HttpHandler next;

    private RouteLimits(HttpHandler next) {
        this.next = next;
    }

    /** {@code next} unchanged when there are no routes, so the common case costs nothing. */
    static HttpHandler wrap(List<RouteLimit> routes, Counter rejected, HttpHandler next) {
        if (routes.isEmpty()) {
            return next;
        }
        RouteLimits limits = new RouteLimits(next);
        for (RouteLimit route : routes) {
            limits.add(route, limited(route, rejected, next));
        }
        limits.prefixes.sort(Comparator.comparingInt((Map.Entry<String, HttpHandler> e) -> e.getKey().length()).reversed());
        return limits;
    }

    private void add(RouteLimit route, HttpHandler handler) {
        String path = route.path();
        if (path.startsWith("*.")) {
            extensions.put(path.substring(1), handler);
        } else if (path.endsWith("/*")) {
            prefixes.add(Map.entry(path.substring(0, path.length() - 2), handler));
        } else {
            exact.put(path, handler);
        }
    }

    private static HttpHandler limited(RouteLimit route, Counter rejected, HttpHandler next) {
        HttpHandler refuse = exchange -> {
            rejected.inc();
            AdmissionLimit.reject(exchange, "this route is at its limit of " + route.maxConcurrent()
                    + " concurrent requests (limits.routes " + route.path() + ")");
        };
        HttpHandler marked = exchange -> {
            exchange.putAttachment(RouteShares.OWN_BULKHEAD, Boolean.TRUE);
            next.handleRequest(exchange);
        };
        if (route.queue() == 0) {
            return new AdmissionLimit(route.maxConcurrent(), marked, refuse);
        }
        RequestLimit limit = new RequestLimit(route.maxConcurrent(), route.queue());
        limit.setFailureHandler(refuse);
        return exchange -> limit.handleRequest(exchange, marked);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        route(exchange.getRequestPath()).handleRequest(exchange);
    }

    private HttpHandler route(String path) {
        HttpHandler handler = exact.get(path);
        if (handler != null) {
            return handler;
        }
        for (Map.Entry<String, HttpHandler> prefix : prefixes) {
            String p = prefix.getKey();
            if (path.startsWith(p) && (path.length() == p.length() || path.charAt(p.length()) == '/')) {
                return prefix.getValue();
            }
        }
        int dot = path.lastIndexOf('.');
        if (dot > path.lastIndexOf('/')) {
            handler = extensions.get(path.substring(dot));
        }
        return handler != null ? handler : next;
    }
}
