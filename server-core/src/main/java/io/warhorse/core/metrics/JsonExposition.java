package io.warhorse.core.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The master's merged view as JSON, for {@code /metrics.json} and the status page: the master, a row per worker,
 * merged counters, latency percentiles over every request, the histograms by app and route, and each worker's
 * gauges. Percentiles are estimated from the histogram buckets, as Prometheus's {@code histogram_quantile} does.
 */
public final class JsonExposition {

    private JsonExposition() {}

    public static String render(MasterView view) {
        MergedMetrics.View merged = view.metrics().merged();
        ObjectNode root = Snapshots.JSON.createObjectNode();
        ObjectNode master = root.putObject("master");
        master.put("pid", ProcessHandle.current().pid());
        master.put("uptime_ms", view.uptimeMillis());
        master.put("generation", view.generation());
        master.put("workers_wanted", view.desired());
        workers(view, root.putArray("workers"));
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
        return root.toString();
    }

    private static void workers(MasterView view, ArrayNode rows) {
        for (WorkerRow worker : view.workers()) {
            ObjectNode row = rows.addObject();
            row.put("id", worker.id());
            row.put("pid", worker.pid());
            row.put("kind", worker.kind());
            row.put("generation", worker.generation());
            row.put("state", worker.state());
            row.put("uptime_ms", worker.uptimeMillis());
            row.put("requests", worker.requests());
            row.put("in_flight", worker.inFlight());
            row.put("rss_bytes", worker.rss().getAsLong());
            row.put("last_beat_ms_ago", worker.lastBeatMillisAgo());
        }
    }

    private static void latency(Map<String, MergedMetrics.Histogram> histograms, ObjectNode latency) {
        long[] total = new long[LatencyHistogram.BOUNDS.length + 1];
        double sum = 0;
        for (Map.Entry<String, MergedMetrics.Histogram> entry : histograms.entrySet()) {
            if (!entry.getKey().startsWith(RequestInstrumentation.DURATION + "|")) {
                continue; // other histograms (the session store's latency) are not requests
            }
            MergedMetrics.Histogram histogram = entry.getValue();
            for (int i = 0; i < total.length && i < histogram.counts().length; i++) {
                total[i] += histogram.counts()[i];
            }
            sum += histogram.sum();
        }
        MergedMetrics.Histogram all = new MergedMetrics.Histogram(total, sum);
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
