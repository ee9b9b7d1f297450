package io.warhorse.core.metrics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The busiest routes (app and servlet mapping) over about the last {@code window}: requests per second, p50/p99 and
 * 5xx answers in that window, and requests since start, from the merged per-route histograms. It keeps a few marks
 * of those histograms (one per sixth of the window), so its memory is bounded by the routes the workers report
 * (at most 200 each). {@link #sample} runs on the master's sampling thread, {@link #busiest} on the admin listener's.
 */
public final class RouteTable {

    /** One route: its rate, latency and errors over the window ({@code NaN} latency when it had no request). */
    public record Route(String app, String route, double perSecond, double p50Ms, double p99Ms, long errors, long requests) {}

    private static final int MARKS = 6;
    private static final int TOP = 15;
    private static final String PREFIX = RequestInstrumentation.DURATION + "|";

    private record Mark(long millis, Map<String, MergedMetrics.Histogram> routes) {}

    private final long markEveryMillis;
    private final ArrayDeque<Mark> marks = new ArrayDeque<>(MARKS + 1);
    private List<Route> busiest = List.of();

    public RouteTable(long windowMillis) {
        this.markEveryMillis = Math.max(1, windowMillis / MARKS);
    }

    public synchronized void sample(long nowMillis, Map<String, MergedMetrics.Histogram> histograms) {
        Mark oldest = marks.peekFirst();
        List<Route> routes = new ArrayList<>();
        histograms.forEach((name, now) -> {
            if (name.startsWith(PREFIX)) {
                routes.add(route(name, now, oldest, nowMillis));
            }
        });
        routes.sort(Comparator.comparingDouble(Route::perSecond).reversed().thenComparing(Comparator.comparingLong(Route::requests).reversed()));
        busiest = List.copyOf(routes.subList(0, Math.min(TOP, routes.size())));
        Mark newest = marks.peekLast();
        if (newest == null || nowMillis - newest.millis() >= markEveryMillis) {
            marks.addLast(new Mark(nowMillis, histograms));
            if (marks.size() > MARKS) {
                marks.removeFirst();
            }
        }
    }

    private static Route route(String name, MergedMetrics.Histogram now, Mark oldest, long nowMillis) {
        String[] parts = name.substring(PREFIX.length()).split("\\|", 2);
        String app = parts[0].isEmpty() ? "-" : parts[0];
        String route = parts.length < 2 || parts[1].isEmpty() ? "-" : parts[1];
        MergedMetrics.Histogram then = oldest == null ? null : oldest.routes().get(name);
        MergedMetrics.Histogram window = then == null ? now : now.plus(then, -1);
        double seconds = oldest == null ? 0 : (nowMillis - oldest.millis()) / 1000.0;
        long count = window.count();
        return new Route(app, route, seconds <= 0 ? 0 : count / seconds,
                count <= 0 ? Double.NaN : JsonExposition.quantile(window, 0.50) * 1000,
                count <= 0 ? Double.NaN : JsonExposition.quantile(window, 0.99) * 1000, window.errors(), now.count());
    }

    /** The busiest routes at the last sample, busiest first. */
    public synchronized List<Route> busiest() {
        return busiest;
    }
}
