package io.warhorse.core.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    static final ObjectMapper JSON = new ObjectMapper();

    private Snapshots() {}

    public static String encode(MetricRegistry registry) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode counters = root.putObject("counters");
        ObjectNode gauges = root.putObject("gauges");
        ObjectNode histograms = root.putObject("histograms");
        for (Map.Entry<String, Metric> entry : registry.getMetrics().entrySet()) {
            String name = entry.getKey();
            switch (entry.getValue()) {
                case Counter counter when UP_DOWN.contains(name) -> gauges.put(name, counter.getCount());
                case Counter counter -> counters.put(name, counter.getCount());
                case Meter meter -> counters.put(name, meter.getCount());
                case LatencyHistogram histogram -> {
                    ObjectNode node = histograms.putObject(name);
                    node.put("sum", histogram.sumSeconds());
                    node.put("errors", histogram.serverErrors());
                    var counts = node.putArray("counts");
                    for (long count : histogram.counts()) {
                        counts.add(count);
                    }
                }
                case Gauge<?> gauge -> putGauge(gauges, name, gauge);
                default -> { } // Dropwizard timers and histograms sample; they do not merge across workers
            }
        }
        return root.toString();
    }

    private static void putGauge(ObjectNode gauges, String name, Gauge<?> gauge) {
        try {
            if (gauge.getValue() instanceof Number number && Double.isFinite(number.doubleValue())) {
                gauges.put(name, number.doubleValue());
            }
        } catch (RuntimeException e) {
            // a gauge whose source is gone (a stopped pool) is skipped, not fatal to the snapshot
        }
    }
}
