package io.warhorse.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.warhorse.core.config.TestSettings;
import io.warhorse.core.testing.PrometheusText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MergedMetricsTest {

    private static String snapshot(long requests, long... latencyNanos) {
        MetricRegistry registry = new MetricRegistry();
        registry.counter("requests.total").inc(requests);
        registry.counter("requests.active").inc(2);
        registry.gauge("worker.sync.queued", () -> () -> 3);
        LatencyHistogram histogram = registry.register(RequestInstrumentation.DURATION + "|/hello|/hello", new LatencyHistogram());
        for (long nanos : latencyNanos) {
            histogram.record(nanos);
        }
        return Snapshots.encode(registry);
    }

    @Test
    void sumsCountersAndHistogramsOfLiveWorkersAndKeepsGaugesPerWorker() throws Exception {
        MergedMetrics merged = new MergedMetrics();
        merged.update(1, snapshot(10, 500_000, 3_000_000));
        merged.update(2, snapshot(5, 20_000_000_000L));
        MergedMetrics.View view = merged.merged();
        assertEquals(15L, view.counters().get("requests.total"));
        MergedMetrics.Histogram histogram = view.histograms().get("request.duration|/hello|/hello");
        assertEquals(3, histogram.count());
        assertEquals(1, histogram.counts()[0]);
        assertEquals(1, histogram.counts()[LatencyHistogram.BOUNDS.length]);
        assertEquals(Map.of(1, 2.0, 2, 2.0), Map.of(1, view.gauges().get(1).get("requests.active"), 2, view.gauges().get(2).get("requests.active")));
        assertEquals(3.0, view.gauges().get(1).get("worker.sync.queued"));
    }

    @Test
    void countersNeverGoDownWhenAWorkerExitsOrReportsLate() throws Exception {
        MergedMetrics merged = new MergedMetrics();
        merged.update(1, snapshot(10, 1_000));
        merged.update(2, snapshot(7, 1_000));
        merged.retire(1);
        assertEquals(17L, merged.merged().counters().get("requests.total"));
        assertEquals(2, merged.merged().histograms().get("request.duration|/hello|/hello").count());
        merged.update(1, snapshot(12, 1_000, 1_000)); // its last line, read after the exit
        assertEquals(19L, merged.merged().counters().get("requests.total"));
        assertEquals(3, merged.merged().histograms().get("request.duration|/hello|/hello").count());
        assertTrue(merged.merged().gauges().containsKey(2) && !merged.merged().gauges().containsKey(1));
        merged.update(3, snapshot(1));
        assertEquals(20L, merged.merged().counters().get("requests.total"));
    }

    /** The control line's JSON, as jackson-databind's trees printed it before the master dropped databind. */
    @Test
    void aSnapshotIsCompactJsonWithCountsAsIntegersAndGaugesAsDecimals() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        registry.counter("requests.total").inc(3);
        registry.gauge("worker.sync.queued", () -> () -> 4);
        registry.register("h", new LatencyHistogram()).record(1_000_000);
        assertEquals("{\"counters\":{\"requests.total\":3},\"gauges\":{\"worker.sync.queued\":4.0},\"histograms\":{\"h\":"
                + "{\"sum\":0.001,\"errors\":0,\"counts\":[1,0,0,0,0,0,0,0,0,0,0,0,0,0]}}}", Snapshots.encode(registry));
    }

    /** A number as text counts as that number, true as 1, anything else as 0; unknown fields are skipped. */
    @Test
    void snapshotsAreReadLeniently() throws Exception {
        MergedMetrics.Snapshot snapshot = Snapshots.decode("{\"counters\":{\"a\":1.5,\"b\":\"7\",\"c\":true,\"d\":{\"x\":1}},"
                + "\"other\":[1,{\"y\":2}],\"gauges\":{\"g\":\"2.5\"},\"histograms\":{\"h\":{\"counts\":[1,\"2\"],\"sum\":1}}}");
        assertEquals(Map.of("a", 1L, "b", 7L, "c", 1L, "d", 0L), snapshot.counters());
        assertEquals(Map.of("g", 2.5), snapshot.gauges());
        assertArrayEquals(new long[] {1, 2}, snapshot.histograms().get("h").counts());
        assertEquals(MergedMetrics.Snapshot.EMPTY, Snapshots.decode("[1]"));
        assertThrows(java.io.IOException.class, () -> Snapshots.decode("{\"counters\":{\"a\":"));
    }

    @Test
    void quantilesInterpolateInsideBuckets() {
        long[] counts = new long[LatencyHistogram.BOUNDS.length + 1];
        counts[2] = 100; // all between 2.5 ms and 5 ms
        double p50 = JsonExposition.quantile(new MergedMetrics.Histogram(counts, 0.4), 0.5);
        assertEquals(0.00375, p50, 1e-9);
    }

    @Test
    void prometheusTextIsValidAndNamedByTheConventions() throws Exception {
        MasterView view = new MasterView(TestSettings.of().observability().metrics());
        view.metrics().update(1, snapshot(10, 500_000));
        view.metrics().update(2, snapshot(5, 2_000_000));
        view.publish(List.of(), 1, 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusExposition.write(view, out);
        Map<String, Double> samples = PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
        assertEquals(15.0, samples.get("warhorse_requests_total"));
        assertEquals(2.0, samples.get("warhorse_request_duration_seconds_count{app=\"/hello\",route=\"/hello\"}"));
        assertEquals(1.0, samples.get("warhorse_request_duration_seconds_bucket{app=\"/hello\",route=\"/hello\",le=\"0.001\"}"));
        assertEquals(3.0, samples.get("warhorse_worker_sync_queued{worker=\"2\"}"));
        assertTrue(PrometheusExposition.CONTENT_TYPE.startsWith("text/plain; version=0.0.4"));
    }

    @Test
    void theParserRefusesBrokenLines() {
        assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE a counter\na_total{x=\"1} 3\n"));
        assertThrows(AssertionError.class, () -> PrometheusText.parse("b 1\n"));
        assertArrayEquals(new Object[] {1.0}, PrometheusText.parse("# TYPE c gauge\nc 1\n").values().toArray());
    }
}
