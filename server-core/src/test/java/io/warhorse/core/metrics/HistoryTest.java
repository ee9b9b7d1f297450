package io.warhorse.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The history on a simulated clock: rates and percentiles per interval, and a bound that a long run never passes. */
class HistoryTest {

    private static final long INTERVAL = 1000;

    /** The merged view after {@code requests} requests of 2-3 ms each, {@code refused} of them 503s at a worker's cap. */
    private static MergedMetrics.View view(long requests, long refused, List<Integer> workers) {
        long[] counts = new long[LatencyHistogram.BOUNDS.length + 1];
        counts[2] = requests;
        Map<Integer, Map<String, Double>> gauges = new java.util.TreeMap<>();
        Map<Integer, Map<String, Long>> perWorker = new java.util.TreeMap<>();
        for (int id : workers) {
            gauges.put(id, Map.of(JvmMetrics.RSS, 100.0 * 1048576, "requests.active", 1.0));
            perWorker.put(id, Map.of("requests.total", requests / workers.size()));
        }
        return new MergedMetrics.View(Map.of("requests.total", requests, "responses.2xx", requests - refused,
                "responses.5xx", refused, "requests.rejected.worker", refused),
                Map.of("request.duration|/app|/x", new MergedMetrics.Histogram(counts, requests * 0.003)), gauges, perWorker);
    }

    private static List<WorkerFigures> figures(MergedMetrics.View view, List<Integer> workers) {
        List<WorkerRow> rows = new ArrayList<>();
        for (int id : workers) {
            rows.add(new WorkerRow(id, 1000 + id, "virtual", 1, "ready", 0, 0, 0, 0, "", () -> -1));
        }
        return WorkerFigures.of(rows, view);
    }

    /** The history as the master writes it into {@code /metrics.json}, read back as a tree. */
    private static JsonNode json(History history) {
        try {
            return new ObjectMapper().readTree(JsonText.write(history::write));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void ratesAndPercentilesArePerInterval() {
        History history = new History(10, INTERVAL);
        List<Integer> workers = List.of(1, 2);
        for (int second = 0; second <= 3; second++) {
            MergedMetrics.View view = view(100L * second, 10L * second, workers);
            history.sample(second * INTERVAL, view, figures(view, workers));
        }
        JsonNode json = json(history);
        assertEquals(3, json.get("t").size(), "the first sample is the baseline");
        assertEquals(100.0, json.get("series").get("requests_per_s").get(2).asDouble());
        assertEquals(10.0, json.get("series").get("503_worker_cap_per_s").get(2).asDouble());
        assertEquals(90.0, json.get("series").get("2xx_per_s").get(2).asDouble());
        double p50 = json.get("series").get("p50_ms").get(2).asDouble();
        assertTrue(p50 > 2.5 && p50 < 5, "p50 inside the 2.5-5 ms bucket: " + p50);
        assertEquals(2.0, json.get("series").get("in_flight").get(2).asDouble());
        assertEquals(100.0, json.get("rss_mib").get("1").get(2).asDouble());
    }

    @Test
    void anIntervalWithoutRequestsHasNoPercentile() {
        History history = new History(10, INTERVAL);
        for (int second = 0; second <= 2; second++) {
            MergedMetrics.View view = view(50, 0, List.of(1));
            history.sample(second * INTERVAL, view, figures(view, List.of(1)));
        }
        assertTrue(json(history).get("series").get("p99_ms").get(1).isNull());
        assertEquals(0.0, json(history).get("series").get("requests_per_s").get(1).asDouble());
    }

    /**
     * Six hours at one sample a second into a 10-minute history, with a worker replaced every 100 s: the samples kept,
     * the workers with a memory series and the size of the whole history as JSON stop growing once it is full.
     */
    @Test
    void aLongRunWithWorkerChurnStaysWithinTheBound() {
        int capacity = 600;
        History history = new History(capacity, INTERVAL);
        int sizeWhenFull = 0;
        int largest = 0;
        for (int second = 0; second <= 6 * 3600; second++) {
            int generation = second / 100;
            List<Integer> workers = List.of(2 * generation + 1, 2 * generation + 2);
            MergedMetrics.View view = view(1000L * second, second, workers);
            history.sample(second * INTERVAL, view, figures(view, workers));
            assertTrue(history.size() <= capacity);
            assertTrue(history.workerSeries() <= 2 * (capacity / 100 + 2), "memory series of gone workers are dropped: " + history.workerSeries());
            if (second == capacity * 2) {
                sizeWhenFull = json(history).toString().length();
            }
            if (second > capacity * 2 && second % 1800 == 0) {
                largest = Math.max(largest, json(history).toString().length());
            }
        }
        assertEquals(capacity, history.size());
        assertEquals(capacity, json(history).get("t").size());
        assertTrue(largest <= sizeWhenFull * 1.1, "the history stopped growing once full: " + sizeWhenFull + " then up to " + largest);
    }
}
