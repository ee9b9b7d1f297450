package io.warhorse.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.warhorse.core.Threads;
import io.warhorse.core.config.TestSettings;
import io.warhorse.core.testing.Eventually;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dropwizard's reporters in the master, chosen in config, report the merged metrics. */
class MasterReportersTest {

    @TempDir
    Path dir;

    private static MasterView viewWithRequests(long requests) throws Exception {
        MetricRegistry worker = new MetricRegistry();
        worker.counter("requests.total").inc(requests);
        MasterView view = new MasterView(TestSettings.of().observability().metrics());
        view.metrics().update(1, Snapshots.encode(worker));
        return view;
    }

    @Test
    void noReporterUnlessConfigured() throws Exception {
        assertNull(MasterReporters.start(TestSettings.of().observability().metrics(), new MasterView(TestSettings.of().observability().metrics()), Threads.create()));
    }

    @Test
    void jmxAndCsvReportTheMergedCounters() throws Exception {
        MasterView view = viewWithRequests(42);
        var settings = TestSettings.of("warhorse.metrics.jmx", "true", "warhorse.metrics.csv-dir", dir.toString(),
                "warhorse.metrics.report-interval", "100ms").observability().metrics();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName requests = new ObjectName("warhorse:name=requests.total,*");
        try (MasterReporters reporters = MasterReporters.start(settings, view, Threads.create())) {
            Eventually.within(Duration.ofSeconds(10), "the exporters' output",
                    () -> !server.queryNames(requests, null).isEmpty());
            Set<ObjectName> names = server.queryNames(requests, null);
            assertEquals(42L, ((Number) server.getAttribute(names.iterator().next(), "Value")).longValue());
            Path csv = dir.resolve("requests.total.csv");
            Eventually.within(Duration.ofSeconds(10), "the exporters' output",
                    () -> Files.exists(csv) && read(csv).contains(",42"));
        }
        assertTrue(server.queryNames(requests, null).isEmpty(), "unregistered at close");
    }

    /**
     * Graphite's plaintext protocol over TCP, to a receiver on a loopback port: the line of the merged counter
     * arrives (the reporter's RabbitMQ sender and its jars are not shipped; this one needs none of them).
     */
    @Test
    void graphiteReceivesTheMergedCounters() throws Exception {
        MasterView view = viewWithRequests(42);
        try (ServerSocket carbon = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            carbon.setSoTimeout(10_000);
            var settings = TestSettings.of("warhorse.metrics.graphite", "127.0.0.1:" + carbon.getLocalPort(),
                    "warhorse.metrics.report-interval", "100ms").observability().metrics();
            try (MasterReporters reporters = MasterReporters.start(settings, view, Threads.create());
                 Socket report = carbon.accept()) {
                report.setSoTimeout(10_000);
                BufferedReader lines = new BufferedReader(new InputStreamReader(report.getInputStream(), StandardCharsets.UTF_8));
                String line;
                do {
                    line = lines.readLine();
                    assertNotNull(line, "the reporter closed the connection without the requests counter");
                } while (!line.startsWith("warhorse.requests.total "));
                assertTrue(line.matches("warhorse\\.requests\\.total 42 \\d+"), line);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return "";
        }
    }
}
