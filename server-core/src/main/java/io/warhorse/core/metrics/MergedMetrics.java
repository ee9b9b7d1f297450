package io.warhorse.core.metrics;

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
        Snapshot snapshot = Snapshots.decode(json);
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
}
