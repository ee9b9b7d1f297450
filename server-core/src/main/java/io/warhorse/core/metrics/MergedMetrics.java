package io.warhorse.core.metrics;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The master's merge of its workers' metrics: the last snapshot of each live worker, plus a retired total of
 * the counters and histograms of workers that exited, so merged counters never go down when a worker is recycled,
 * killed or replaced. Gauges stay per worker. {@link #update} and {@link #retire} run on the arbiter's thread;
 * {@link #merged} on the admin listener's and the reporters' threads: every method locks.
 */
public final class MergedMetrics {

    private static final int REMEMBERED_RETIREES = 64;

    /** One worker's snapshot, parsed. */
    record Snapshot(Map<String, Long> counters, Map<String, Double> gauges, Map<String, Histogram> histograms) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Map.of());
    }

    /** Per-bucket counts (as {@link LatencyHistogram#counts()}), the sum in seconds, and the 5xx answers among them. */
    public record Histogram(long[] counts, double sum, long errors) {
        public Histogram(long[] counts, double sum) {
            this(counts, sum, 0);
        }

        public long count() {
            long total = 0;
            for (long c : counts) {
                total += c;
            }
            return total;
        }

        /** The bucket-wise sum of {@code histograms} (every app and route: all requests). */
        public static Histogram sum(java.util.Collection<Histogram> histograms) {
            Histogram total = new Histogram(new long[LatencyHistogram.BOUNDS.length + 1], 0);
            for (Histogram histogram : histograms) {
                total = total.plus(histogram, 1);
            }
            return total;
        }

        Histogram plus(Histogram other, int sign) {
            long[] merged = counts.clone();
            for (int i = 0; i < merged.length && i < other.counts.length; i++) {
                merged[i] += sign * other.counts[i];
            }
            return new Histogram(merged, sum + sign * other.sum, errors + sign * other.errors);
        }
    }

    /**
     * The merged view: counters and histograms summed over every worker that ever ran, and each live worker's own
     * counters and gauges by worker id, all from the same snapshots.
     */
    public record View(Map<String, Long> counters, Map<String, Histogram> histograms, Map<Integer, Map<String, Double>> gauges,
                       Map<Integer, Map<String, Long>> workerCounters) {}

    private final Map<Integer, Snapshot> live = new HashMap<>();
    private final Map<Integer, Snapshot> retirees = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Snapshot> eldest) {
            return size() > REMEMBERED_RETIREES;
        }
    };
    private final Map<String, Long> retiredCounters = new HashMap<>();
    private final Map<String, Histogram> retiredHistograms = new HashMap<>();

    /** Takes worker {@code id}'s latest snapshot; a late one from a worker already retired adds only what is new. */
    public synchronized void update(int id, String json) throws IOException {
        Snapshot snapshot = parse(json);
        Snapshot retired = retirees.get(id);
        if (retired != null) {
            addTo(retiredCounters, retiredHistograms, snapshot, 1);
            addTo(retiredCounters, retiredHistograms, retired, -1);
            retirees.put(id, snapshot);
        } else {
            live.put(id, snapshot);
        }
    }

    /** Worker {@code id} exited: its last counts move into the retired totals. */
    public synchronized void retire(int id) {
        Snapshot last = live.remove(id);
        if (last != null) {
            addTo(retiredCounters, retiredHistograms, last, 1);
        }
        retirees.put(id, last == null ? Snapshot.EMPTY : last);
    }

    public synchronized View merged() {
        Map<String, Long> counters = new TreeMap<>(retiredCounters);
        Map<String, Histogram> histograms = new TreeMap<>(retiredHistograms);
        Map<Integer, Map<String, Double>> gauges = new TreeMap<>();
        Map<Integer, Map<String, Long>> workerCounters = new TreeMap<>();
        for (Map.Entry<Integer, Snapshot> worker : live.entrySet()) {
            addTo(counters, histograms, worker.getValue(), 1);
            gauges.put(worker.getKey(), new TreeMap<>(worker.getValue().gauges()));
            workerCounters.put(worker.getKey(), worker.getValue().counters());
        }
        return new View(counters, histograms, gauges, workerCounters);
    }

    private static void addTo(Map<String, Long> counters, Map<String, Histogram> histograms, Snapshot snapshot, int sign) {
        snapshot.counters().forEach((name, value) -> counters.merge(name, sign * value, Long::sum));
        snapshot.histograms().forEach((name, value) -> histograms.merge(name, sign > 0 ? value : new Histogram(new long[value.counts().length], 0).plus(value, -1),
                (a, b) -> a.plus(b, 1)));
    }

    /**
     * Reads a worker's snapshot as leniently as Jackson's tree did: a value that is not a number counts as its
     * number's text, 1 for true, else 0; what is not an object where one is expected, and unknown fields, are
     * skipped.
     */
    static Snapshot parse(String json) throws IOException {
        Map<String, Long> counters = new HashMap<>();
        Map<String, Double> gauges = new HashMap<>();
        Map<String, Histogram> histograms = new HashMap<>();
        try (JsonParser parser = JsonText.parser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Snapshot.EMPTY;
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
        return new Snapshot(counters, gauges, histograms);
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

    private static Histogram histogram(JsonParser parser) throws IOException {
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
        return new Histogram(counts[0], sum[0], errors[0]);
    }

    private static long[] counts(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            return new long[0];
        }
        long[] values = new long[LatencyHistogram.BOUNDS.length + 1];
        int size = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY && token != null; token = parser.nextToken()) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = parser.getValueAsLong();
            parser.skipChildren();
        }
        return java.util.Arrays.copyOf(values, size);
    }
}
