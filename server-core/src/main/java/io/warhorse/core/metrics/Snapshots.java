package io.warhorse.core.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * A worker's metrics as one JSON object for the control line {@code metrics JSON}:
 * {@code {"counters":{name:n}, "gauges":{name:x}, "histograms":{name:{"sum":s,"counts":[...]}}}}. Counters and
 * meters (their counts) only ever grow; gauges are the worker's own; histograms are {@link LatencyHistogram}s.
 * Written on the worker's metrics thread, read on the master's arbiter thread.
 */
public final class Snapshots {

    /** Counters that go down as well as up: shipped as gauges, never summed into the retired totals. */
    private static final Set<String> UP_DOWN = Set.of("requests.active");

    private Snapshots() {}

    public static String encode(MetricRegistry registry) {
        Map<String, Metric> metrics = registry.getMetrics();
        return JsonText.write(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("counters");
            for (Map.Entry<String, Metric> entry : metrics.entrySet()) {
                switch (entry.getValue()) {
                    case Counter counter when !UP_DOWN.contains(entry.getKey()) -> json.writeNumberField(entry.getKey(), counter.getCount());
                    case Meter meter -> json.writeNumberField(entry.getKey(), meter.getCount());
                    default -> { }
                }
            }
            json.writeEndObject();
            json.writeObjectFieldStart("gauges");
            for (Map.Entry<String, Metric> entry : metrics.entrySet()) {
                switch (entry.getValue()) {
                    case Counter counter when UP_DOWN.contains(entry.getKey()) -> json.writeNumberField(entry.getKey(), counter.getCount());
                    case Gauge<?> gauge -> writeGauge(json, entry.getKey(), gauge);
                    default -> { }
                }
            }
            json.writeEndObject();
            json.writeObjectFieldStart("histograms");
            for (Map.Entry<String, Metric> entry : metrics.entrySet()) {
                if (entry.getValue() instanceof LatencyHistogram histogram) {
                    writeHistogram(json, entry.getKey(), histogram);
                } // Dropwizard timers and histograms sample; they do not merge across workers
            }
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static void writeHistogram(JsonGenerator json, String name, LatencyHistogram histogram) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeNumberField("sum", histogram.sumSeconds());
        json.writeNumberField("errors", histogram.serverErrors());
        JsonText.writeLongs(json, "counts", histogram.counts());
        json.writeEndObject();
    }

    private static void writeGauge(JsonGenerator json, String name, Gauge<?> gauge) throws IOException {
        Object value;
        try {
            value = gauge.getValue();
        } catch (RuntimeException e) {
            return; // a gauge whose source is gone (a stopped pool) is skipped, not fatal to the snapshot
        }
        if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
            json.writeNumberField(name, number.doubleValue());
        }
    }
}
