package io.warhorse.core.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A worker's metrics as one JSON object for the control line {@code metrics JSON}:
 * {@code {"counters":{name:n}, "gauges":{name:x}, "histograms":{name:{"sum":s,"counts":[...]}}}}. Counters and
 * meters (their counts) only ever grow; gauges are the worker's own; histograms are {@link LatencyHistogram}s.
 * Encoded here on the worker's metrics thread ({@link #encode}), decoded here on the master's arbiter thread
 * ({@link #decode}).
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

    /**
     * Reads a worker's snapshot as leniently as Jackson's tree did: a value that is not a number counts as its
     * number's text, 1 for true, else 0; what is not an object where one is expected, and unknown fields, are
     * skipped.
     */
    static MergedMetrics.Snapshot decode(String json) throws IOException {
        Map<String, Long> counters = new HashMap<>();
        Map<String, Double> gauges = new HashMap<>();
        Map<String, MergedMetrics.Histogram> histograms = new HashMap<>();
        try (JsonParser parser = JsonText.parser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return MergedMetrics.Snapshot.EMPTY;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String section = parser.currentName();
                parser.nextToken();
                switch (section) {
                    case "counters" -> fields(parser, name -> counters.put(name, parser.getValueAsLong()));
                    case "gauges" -> fields(parser, name -> gauges.put(name, parser.getValueAsDouble()));
                    case "histograms" -> fields(parser, name -> histograms.put(name, histogram(parser)));
                    default -> parser.skipChildren();
                }
            }
        }
        return new MergedMetrics.Snapshot(counters, gauges, histograms);
    }

    private interface FieldReader {
        void read(String name) throws IOException;
    }

    /** Calls {@code reader} on each field of the object the parser is at (with the parser on the field's value). */
    private static void fields(JsonParser parser, FieldReader reader) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            reader.read(name);
            parser.skipChildren(); // a container where a number was expected counted 0
        }
    }

    private static MergedMetrics.Histogram histogram(JsonParser parser) throws IOException {
        double[] sum = {0};
        long[] errors = {0};
        long[][] counts = {new long[0]};
        fields(parser, name -> {
            switch (name) {
                case "sum" -> sum[0] = parser.getValueAsDouble();
                case "errors" -> errors[0] = parser.getValueAsLong();
                case "counts" -> counts[0] = counts(parser);
                default -> { }
            }
        });
        return new MergedMetrics.Histogram(counts[0], sum[0], errors[0]);
    }

    private static long[] counts(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            return new long[0];
        }
        long[] values = new long[LatencyHistogram.BOUNDS.length + 1];
        int size = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY && token != null; token = parser.nextToken()) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = parser.getValueAsLong();
            parser.skipChildren();
        }
        return Arrays.copyOf(values, size);
    }
}
