package io.warhorse.core.metrics;

import com.codahale.metrics.CsvReporter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.ScheduledReporter;
import com.codahale.metrics.Slf4jReporter;
import com.codahale.metrics.graphite.Graphite;
import com.codahale.metrics.graphite.GraphiteReporter;
import com.codahale.metrics.jmx.JmxReporter;
import io.warhorse.core.Threads;
import io.warhorse.core.config.Settings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Dropwizard's own reporters (JMX, Graphite, CSV, SLF4J), chosen in {@code warhorse.metrics.*}, fed with the
 * master's merged metrics: each merged counter, the request count and a few latency figures, and each worker's
 * gauges become gauges of a registry that is kept in step with what the workers send. Runs a thread of its own.
 */
public final class MasterReporters implements AutoCloseable {

    private final MasterView view;
    private final MetricRegistry registry = new MetricRegistry();
    private final ScheduledExecutorService syncThread;
    private final List<AutoCloseable> reporters = new ArrayList<>();

    private MasterReporters(MasterView view, Threads threads) {
        this.view = view;
        this.syncThread = threads.scheduler("metrics-reporters");
    }

    /** Starts the reporters the settings ask for; null if none. */
    public static MasterReporters start(Settings.Metrics settings, MasterView view, Threads threads) throws IOException {
        if (!settings.jmx() && settings.graphite() == null && settings.csvDir() == null && !settings.slf4j()) {
            return null;
        }
        MasterReporters reporters = new MasterReporters(view, threads);
        reporters.syncThread.scheduleWithFixedDelay(reporters::registerNewNames, 0, 1, TimeUnit.SECONDS);
        reporters.startReporters(settings);
        return reporters;
    }

    private void startReporters(Settings.Metrics settings) throws IOException {
        long period = settings.reportInterval().toMillis();
        if (settings.jmx()) {
            JmxReporter jmx = JmxReporter.forRegistry(registry).inDomain("warhorse").build();
            jmx.start();
            reporters.add(jmx);
        }
        if (settings.graphite() != null) {
            Graphite graphite = new Graphite(new InetSocketAddress(settings.graphite().host(), settings.graphite().port()));
            schedule(GraphiteReporter.forRegistry(registry).prefixedWith("warhorse").build(graphite), period);
        }
        if (settings.csvDir() != null) {
            Files.createDirectories(settings.csvDir());
            schedule(CsvReporter.forRegistry(registry).formatFor(Locale.ROOT).build(settings.csvDir().toFile()), period);
        }
        if (settings.slf4j()) {
            schedule(Slf4jReporter.forRegistry(registry).outputTo(LoggerFactory.getLogger("io.warhorse.metrics")).build(), period);
        }
    }

    private void schedule(ScheduledReporter reporter, long periodMillis) {
        reporter.start(periodMillis, TimeUnit.MILLISECONDS);
        reporters.add(reporter);
    }

    /** Registers a gauge for every merged name seen for the first time. */
    private void registerNewNames() {
        MergedMetrics.View merged = view.metrics().merged();
        for (String name : merged.counters().keySet()) {
            register(name, () -> view.metrics().merged().counters().getOrDefault(name, 0L));
        }
        for (String name : merged.histograms().keySet()) {
            register(name + ".count", () -> view.metrics().merged().histograms().get(name).count());
            register(name + ".p99-ms", () -> JsonExposition.quantile(view.metrics().merged().histograms().get(name), 0.99) * 1000);
        }
        merged.gauges().forEach((worker, gauges) -> gauges.keySet().forEach(name -> register("worker-" + worker + "." + name,
                () -> view.metrics().merged().gauges().getOrDefault(worker, java.util.Map.of()).getOrDefault(name, Double.NaN))));
        register("workers", () -> view.workers().size());
    }

    private void register(String name, Gauge<?> gauge) {
        if (!registry.getNames().contains(name)) {
            registry.register(name, gauge);
        }
    }

    @Override
    public void close() {
        syncThread.shutdownNow();
        for (AutoCloseable reporter : reporters) {
            try {
                reporter.close();
            } catch (Exception ignored) {
                // stopping anyway
            }
        }
        registry.removeMatching(MetricFilter.ALL);
    }
}
