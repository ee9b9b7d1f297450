package io.warhorse.core.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The master's merged view in the Prometheus text format, written by the official Prometheus writer
 * ({@code prometheus-metrics-exposition-textformats}); this class only maps names: {@code requests.total} becomes
 * the counter {@code warhorse_requests_total}, request histograms {@code warhorse_request_duration_seconds} with
 * labels {@code app} and {@code route}, and each worker's gauges carry a {@code worker} label.
 */
public final class PrometheusExposition {

    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();
    private static final OpenMetricsTextFormatWriter OPEN_METRICS = OpenMetricsTextFormatWriter.create();

    private PrometheusExposition() {}

    public static void write(MasterView view, OutputStream out) throws IOException {
        WRITER.write(out, snapshots(view));
    }

    /** The format the scraper's Accept header asks for: OpenMetrics if it says so, else the Prometheus text format. */
    public static ExpositionFormatWriter writerFor(String accept) {
        return OPEN_METRICS.accepts(accept) ? OPEN_METRICS : WRITER;
    }

    public static void write(MasterView view, OutputStream out, ExpositionFormatWriter writer) throws IOException {
        writer.write(out, snapshots(view));
    }

    static MetricSnapshots snapshots(MasterView view) {
        MergedMetrics.View merged = view.metrics().merged();
        List<MetricSnapshot> all = new ArrayList<>();
        merged.counters().forEach((name, value) -> all.add(counter(name, value)));
        all.add(durations(merged.histograms()));
        all.addAll(gauges(merged.gauges()));
        all.add(GaugeSnapshot.builder().name("warhorse_workers").help("Worker processes running")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(view.workers().size()).build()).build());
        all.add(GaugeSnapshot.builder().name("warhorse_master_uptime_seconds").help("Seconds since the master started")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(view.uptimeMillis() / 1000.0).build()).build());
        return new MetricSnapshots(all);
    }

    static String name(String dropwizardName) {
        String base = dropwizardName.endsWith(".total") ? dropwizardName.substring(0, dropwizardName.length() - 6) : dropwizardName;
        return PrometheusNaming.sanitizeMetricName("warhorse_" + base.replace('.', '_').replace('-', '_'));
    }

    private static CounterSnapshot counter(String name, long value) {
        return CounterSnapshot.builder().name(name(name)).help("Merged over every worker: " + name)
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static HistogramSnapshot durations(Map<String, MergedMetrics.Histogram> histograms) {
        HistogramSnapshot.Builder builder = HistogramSnapshot.builder().name("warhorse_request_duration_seconds")
                .help("Request durations by app (context path) and route (servlet mapping), merged over every worker");
        double[] bounds = new double[LatencyHistogram.BOUNDS.length + 1];
        System.arraycopy(LatencyHistogram.BOUNDS, 0, bounds, 0, LatencyHistogram.BOUNDS.length);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        histograms.forEach((name, histogram) -> {
            String[] parts = name.split("\\|", -1);
            if (!parts[0].equals(RequestInstrumentation.DURATION) || histogram.counts().length != bounds.length) {
                return;
            }
            builder.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .labels(Labels.of("app", parts.length > 1 ? parts[1] : "", "route", parts.length > 2 ? parts[2] : ""))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, histogram.counts()))
                    .sum(histogram.sum()).build());
        });
        return builder.build();
    }

    private static List<MetricSnapshot> gauges(Map<Integer, Map<String, Double>> byWorker) {
        Map<String, GaugeSnapshot.Builder> builders = new TreeMap<>();
        byWorker.forEach((worker, gauges) -> gauges.forEach((name, value) -> {
            // route.moved|APP|MAPPING and route.pinned|APP|MAPPING: one metric each, app and route as labels
            String[] parts = name.split("\\|", 3);
            boolean route = parts.length == 3 && name.startsWith("route.");
            Labels labels = route ? Labels.of("worker", String.valueOf(worker), "app", parts[1], "route", parts[2])
                    : Labels.of("worker", String.valueOf(worker));
            builders.computeIfAbsent(route ? parts[0] : name, n -> GaugeSnapshot.builder().name(name(n)).help("Per worker: " + n))
                    .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
        }));
        return builders.values().stream().map(b -> (MetricSnapshot) b.build()).toList();
    }
}
