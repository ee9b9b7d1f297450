package io.warhorse.core.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
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
        return JsonText.write(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("master");
            json.writeNumberField("pid", ProcessHandle.current().pid());
            json.writeNumberField("uptime_ms", view.uptimeMillis());
            json.writeNumberField("generation", view.generation());
            json.writeNumberField("workers_wanted", view.desired());
            json.writeEndObject();
            json.writeFieldName("workers");
            workers(now.workers(), json);
            json.writeObjectFieldStart("counters");
            for (Map.Entry<String, Long> counter : merged.counters().entrySet()) {
                json.writeNumberField(counter.getKey(), counter.getValue().longValue());
            }
            json.writeEndObject();
            json.writeFieldName("latency");
            latency(merged.histograms(), json);
            json.writeFieldName("histograms");
            histograms(merged.histograms(), json);
            json.writeObjectFieldStart("gauges");
            for (Map.Entry<Integer, Map<String, Double>> worker : merged.gauges().entrySet()) {
                json.writeObjectFieldStart(String.valueOf(worker.getKey()));
                for (Map.Entry<String, Double> gauge : worker.getValue().entrySet()) {
                    json.writeNumberField(gauge.getKey(), gauge.getValue().doubleValue());
                }
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeFieldName("routes");
            routes(view.routes().busiest(), json);
            json.writeFieldName("placed_routes");
            PlacedRoutes.write(merged.gauges(), json);
            json.writeFieldName("events");
            events(view.timeline(), json);
            if (history) {
                json.writeFieldName("history");
                view.history().write(json);
            }
            json.writeEndObject();
        });
    }

    private static void histograms(Map<String, MergedMetrics.Histogram> histograms, JsonGenerator json) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, MergedMetrics.Histogram> entry : histograms.entrySet()) {
            MergedMetrics.Histogram histogram = entry.getValue();
            json.writeObjectFieldStart(entry.getKey());
            json.writeNumberField("count", histogram.count());
            json.writeNumberField("sum", histogram.sum());
            JsonText.writeLongs(json, "counts", histogram.counts());
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void routes(java.util.List<RouteTable.Route> busiest, JsonGenerator json) throws IOException {
        json.writeStartArray();
        for (RouteTable.Route route : busiest) {
            json.writeStartObject();
            json.writeStringField("app", route.app());
            json.writeStringField("route", route.route());
            json.writeNumberField("per_s", Math.round(route.perSecond() * 100) / 100.0);
            writeFinite(json, "p50_ms", route.p50Ms());
            writeFinite(json, "p99_ms", route.p99Ms());
            json.writeNumberField("5xx", route.errors());
            json.writeNumberField("requests", route.requests());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void writeFinite(JsonGenerator json, String name, double value) throws IOException {
        if (Double.isFinite(value)) {
            json.writeNumberField(name, Math.round(value * 100) / 100.0);
        } else {
            json.writeNullField(name);
        }
    }

    private static void events(Timeline timeline, JsonGenerator json) throws IOException {
        json.writeStartArray();
        for (Timeline.Entry entry : timeline.entries()) {
            json.writeStartObject();
            json.writeNumberField("at_ms", entry.millis());
            writeText(json, "level", entry.level());
            writeText(json, "text", entry.text());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void workers(java.util.List<WorkerFigures> figures, JsonGenerator json) throws IOException {
        json.writeStartArray();
        for (WorkerFigures figure : figures) {
            WorkerRow worker = figure.row();
            json.writeStartObject();
            json.writeNumberField("id", worker.id());
            json.writeNumberField("pid", worker.pid());
            writeText(json, "kind", worker.kind());
            json.writeNumberField("generation", worker.generation());
            writeText(json, "state", worker.state());
            json.writeNumberField("uptime_ms", worker.uptimeMillis());
            json.writeNumberField("requests", figure.requests());
            json.writeNumberField("in_flight", figure.inFlight());
            json.writeNumberField("rss_bytes", figure.rssBytes());
            json.writeNumberField("last_beat_ms_ago", worker.lastBeatMillisAgo());
            writeText(json, "note", figure.note());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** A string field; null as JSON null. */
    private static void writeText(JsonGenerator json, String name, String value) throws IOException {
        if (value == null) {
            json.writeNullField(name);
        } else {
            json.writeStringField(name, value);
        }
    }

    private static void latency(Map<String, MergedMetrics.Histogram> histograms, JsonGenerator json) throws IOException {
        // request histograms only: others (the session store's latency) are not requests
        MergedMetrics.Histogram all = MergedMetrics.Histogram.sum(histograms.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(RequestInstrumentation.DURATION + "|"))
                .map(Map.Entry::getValue).toList());
        double sum = all.sum();
        json.writeStartObject();
        json.writeNumberField("count", all.count());
        json.writeNumberField("mean_ms", all.count() == 0 ? 0 : sum * 1000 / all.count());
        json.writeNumberField("p50_ms", quantile(all, 0.50) * 1000);
        json.writeNumberField("p90_ms", quantile(all, 0.90) * 1000);
        json.writeNumberField("p99_ms", quantile(all, 0.99) * 1000);
        json.writeEndObject();
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
