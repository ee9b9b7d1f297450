package io.warhorse.core.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The master's merged view as JSON, for {@code /metrics.json} and the status page: the master, a row per worker
 * (its figures from the same snapshots as the totals), merged counters, latency percentiles over every request,
 * the histograms by app and route, each worker's gauges, the busiest routes, the routes moved or pinned off their
 * kind's threads ({@link PlacedRoutes}), the master's events, and with
 * {@code history} the last minutes ({@link History}). Percentiles are estimated from the histogram buckets, as
 * Prometheus's {@code histogram_quantile} does. Runs on the admin listener's thread.
 */
public final class JsonExposition {

    private JsonExposition() {}

    public static String render(MasterView view) {
        return render(view, false);
    }

    public static String render(MasterView view, boolean history) {
        MasterView.Now now = view.now();
        MergedMetrics.View merged = now.merged();
        ObjectNode root = Snapshots.JSON.createObjectNode();
        ObjectNode master = root.putObject("master");
        master.put("pid", ProcessHandle.current().pid());
        master.put("uptime_ms", view.uptimeMillis());
        master.put("generation", view.generation());
        master.put("workers_wanted", view.desired());
        workers(now.workers(), root.putArray("workers"));
        ObjectNode counters = root.putObject("counters");
        merged.counters().forEach(counters::put);
        latency(merged.histograms(), root.putObject("latency"));
        ObjectNode histograms = root.putObject("histograms");
        merged.histograms().forEach((name, histogram) -> {
            ObjectNode node = histograms.putObject(name);
            node.put("count", histogram.count());
            node.put("sum", histogram.sum());
            ArrayNode counts = node.putArray("counts");
            for (long count : histogram.counts()) {
                counts.add(count);
            }
        });
        ObjectNode gauges = root.putObject("gauges");
        merged.gauges().forEach((worker, values) -> {
            ObjectNode node = gauges.putObject(String.valueOf(worker));
            values.forEach(node::put);
        });
        routes(view.routes().busiest(), root.putArray("routes"));
        PlacedRoutes.write(merged.gauges(), root.putArray("placed_routes"));
        events(view.timeline(), root.putArray("events"));
        if (history) {
            view.history().write(root.putObject("history"));
        }
        return root.toString();
    }

    private static void routes(java.util.List<RouteTable.Route> busiest, ArrayNode rows) {
        for (RouteTable.Route route : busiest) {
            ObjectNode row = rows.addObject();
            row.put("app", route.app());
            row.put("route", route.route());
            row.put("per_s", Math.round(route.perSecond() * 100) / 100.0);
            putFinite(row, "p50_ms", route.p50Ms());
            putFinite(row, "p99_ms", route.p99Ms());
            row.put("5xx", route.errors());
            row.put("requests", route.requests());
        }
    }

    private static void putFinite(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, Math.round(value * 100) / 100.0);
        } else {
            node.putNull(name);
        }
    }

    private static void events(Timeline timeline, ArrayNode rows) {
        for (Timeline.Entry entry : timeline.entries()) {
            ObjectNode row = rows.addObject();
            row.put("at_ms", entry.millis());
            row.put("level", entry.level());
            row.put("text", entry.text());
        }
    }

    private static void workers(java.util.List<WorkerFigures> figures, ArrayNode rows) {
        for (WorkerFigures figure : figures) {
            WorkerRow worker = figure.row();
            ObjectNode row = rows.addObject();
            row.put("id", worker.id());
            row.put("pid", worker.pid());
            row.put("kind", worker.kind());
            row.put("generation", worker.generation());
            row.put("state", worker.state());
            row.put("uptime_ms", worker.uptimeMillis());
            row.put("requests", figure.requests());
            row.put("in_flight", figure.inFlight());
            row.put("rss_bytes", figure.rssBytes());
            row.put("last_beat_ms_ago", worker.lastBeatMillisAgo());
            row.put("note", figure.note());
        }
    }

    private static void latency(Map<String, MergedMetrics.Histogram> histograms, ObjectNode latency) {
        // request histograms only: others (the session store's latency) are not requests
        MergedMetrics.Histogram all = MergedMetrics.Histogram.sum(histograms.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(RequestInstrumentation.DURATION + "|"))
                .map(Map.Entry::getValue).toList());
        double sum = all.sum();
        latency.put("count", all.count());
        latency.put("mean_ms", all.count() == 0 ? 0 : sum * 1000 / all.count());
        latency.put("p50_ms", quantile(all, 0.50) * 1000);
        latency.put("p90_ms", quantile(all, 0.90) * 1000);
        latency.put("p99_ms", quantile(all, 0.99) * 1000);
    }

    /** Linear interpolation inside the bucket holding the rank; the +Inf bucket reports its lower bound. */
    static double quantile(MergedMetrics.Histogram histogram, double q) {
        long count = histogram.count();
        if (count == 0) {
            return 0;
        }
        double rank = q * count;
        long seen = 0;
        double[] bounds = LatencyHistogram.BOUNDS;
        for (int i = 0; i < histogram.counts().length; i++) {
            long inBucket = histogram.counts()[i];
            if (seen + inBucket >= rank && inBucket > 0) {
                if (i >= bounds.length) {
                    return bounds[bounds.length - 1];
                }
                double lower = i == 0 ? 0 : bounds[i - 1];
                return lower + (bounds[i] - lower) * (rank - seen) / inBucket;
            }
            seen += inBucket;
        }
        return bounds[bounds.length - 1];
    }
}
