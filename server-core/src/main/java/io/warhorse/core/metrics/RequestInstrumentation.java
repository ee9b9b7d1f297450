package io.warhorse.core.metrics;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.api.Deployment;
import io.undertow.servlet.handlers.ServletPathMatch;
import io.undertow.servlet.handlers.ServletRequestContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The request metrics of a worker: a {@link LatencyHistogram} per app (context path) and route (the servlet
 * mapping that matched, such as {@code /hello} or {@code *.jsp}), and a meter per status class, plus
 * {@code responses.503} and {@code responses.504} (bulkheads, queues and deadlines). The worker's one
 * instrumentation point ({@code RequestCounter}), around the worker kind's admission so requests a full worker
 * refuses are measured too, has {@link #record} called for each completed request on the worker's recorder thread
 * ({@code CompletionRecorder}); the duration runs from the start time Undertow records
 * ({@code UndertowOptions.RECORD_REQUEST_START_TIME}, on with the metrics).
 *
 * <p>Histograms are registered in the worker's {@link MetricRegistry} as {@code request.duration|APP|ROUTE}.
 */
public final class RequestInstrumentation {

    /** Registry names of the request histograms start with this. */
    public static final String DURATION = "request.duration";
    private static final int MAX_ROUTES = 200;

    private final MetricRegistry registry;
    private final Meter[] byClass = new Meter[6];
    private final Meter unavailable;
    private final Meter timedOut;
    private final ConcurrentMap<String, LatencyHistogram> histograms = new ConcurrentHashMap<>();
    private final ConcurrentMap<Deployment, Map<String, LatencyHistogram>> byApp = new ConcurrentHashMap<>();

    public RequestInstrumentation(MetricRegistry registry) {
        this.registry = registry;
        for (int i = 1; i <= 5; i++) {
            byClass[i] = registry.meter("responses." + i + "xx");
        }
        this.unavailable = registry.meter("responses.503");
        this.timedOut = registry.meter("responses.504");
    }

    /** Records a completed exchange: its status, and its time from Undertow's request start time to {@code end}. */
    public void record(HttpServerExchange exchange, long end) {
        long start = exchange.getRequestStartTime();
        long nanos = start == -1 ? 0 : end - start;
        int status = exchange.getStatusCode();
        int statusClass = status / 100;
        if (statusClass >= 1 && statusClass <= 5) {
            byClass[statusClass].mark();
        }
        if (status == 503) {
            unavailable.mark();
        } else if (status == 504) {
            timedOut.mark();
        }
        histogram(exchange).record(nanos, statusClass == 5);
    }

    /** Looked up by the deployment and the mapping's own string, so the common case allocates nothing. */
    private LatencyHistogram histogram(HttpServerExchange exchange) {
        ServletRequestContext context = exchange.getAttachment(ServletRequestContext.ATTACHMENT_KEY);
        if (context == null) {
            return histogram(DURATION + "||");
        }
        ServletPathMatch match = context.getOriginalServletPathMatch();
        String route = match == null ? "" : match.getMatchString();
        Map<String, LatencyHistogram> routes = byApp.computeIfAbsent(context.getDeployment(), app -> new ConcurrentHashMap<>());
        LatencyHistogram histogram = routes.get(route);
        if (histogram == null) {
            String app = context.getDeployment().getDeploymentInfo().getContextPath();
            histogram = histogram(DURATION + "|" + (app.isEmpty() ? "/" : app) + "|" + route);
            if (routes.size() < MAX_ROUTES) {
                routes.putIfAbsent(route, histogram);
            }
        }
        return histogram;
    }

    private LatencyHistogram histogram(String name) {
        LatencyHistogram histogram = histograms.get(name);
        if (histogram != null) {
            return histogram;
        }
        String key = histograms.size() >= MAX_ROUTES ? DURATION + "||other" : name;
        return histograms.computeIfAbsent(key, n -> registry.register(n, new LatencyHistogram()));
    }
}
