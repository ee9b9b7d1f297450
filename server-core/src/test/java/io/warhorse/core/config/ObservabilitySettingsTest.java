package io.warhorse.core.config;

import static io.warhorse.core.config.ConfigFiles.problems;
import static io.warhorse.core.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObservabilitySettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsServeTheAdminListenerAndMetricsWithoutLogFiles() {
        Settings.Observability observability = TestSettings.of().observability();
        assertTrue(observability.metrics().enabled() && observability.admin().enabled());
        assertNull(observability.admin().bind());
        assertEquals(new HostPort("127.0.0.1", 9000), observability.admin().bindBeside(new HostPort("0.0.0.0", 8000)));
        assertEquals(new HostPort("127.0.0.1", 0), observability.admin().bindBeside(new HostPort("127.0.0.1", 0)));
        assertEquals(new HostPort("127.0.0.1", 0), observability.admin().bindBeside(new HostPort("127.0.0.1", 65000)));
        assertEquals(new HostPort("10.0.0.5", 9100),
                TestSettings.of("warhorse.admin.bind", "10.0.0.5:9100").observability().admin().bindBeside(new HostPort("127.0.0.1", 8000)));
        assertFalse(observability.accessLog().enabled());
        assertEquals("common", observability.accessLog().format());
        assertNull(observability.log().file());
        assertNull(observability.metrics().graphite());
    }

    @Test
    void logFilesResolveAgainstTheConfigFileAndNeedAnExistingFolder() {
        Path file = write(dir, "warhorse.conf", """
                warhorse.access-log.file = "logs/access.log"
                warhorse.log.file = "error.log"
                warhorse.admin.bind = "nowhere"
                """);
        List<String> problems = problems(file);
        assertTrue(problems.contains(file + ":1: warhorse.access-log.file: folder " + dir.resolve("logs") + " does not exist"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(file + ":3: warhorse.admin.bind:")), problems.toString());
        assertEquals(2, problems.size(), problems.toString());
    }

    @Test
    void dashMeansStandardStreams() {
        Settings.Observability observability = TestSettings.of("warhorse.access-log.file", "-", "warhorse.log.file", "-").observability();
        assertEquals("-", observability.accessLog().file());
        assertNull(observability.log().file());
    }

    /** metrics.history keeps at least two samples of metrics.interval and at most 100,000. */
    @Test
    void historyHoldsTwoToAHundredThousandIntervals() {
        assertEquals(java.time.Duration.ofSeconds(2), TestSettings.of("warhorse.metrics.interval", "1s",
                "warhorse.metrics.history", "2s").observability().metrics().history());
        assertEquals(java.time.Duration.ofSeconds(100_000), TestSettings.of("warhorse.metrics.interval", "1s",
                "warhorse.metrics.history", "100000s").observability().metrics().history());
        Path few = write(dir, "few.conf", """
                warhorse.metrics.interval = 1s
                warhorse.metrics.history = 1999ms
                """);
        assertEquals(List.of(few + ":2: warhorse.metrics.history: must be at least two metrics.interval (PT2S), got PT1.999S"),
                problems(few));
        Path many = write(dir, "many.conf", """
                warhorse.metrics.interval = 10ms
                warhorse.metrics.history = 1000010ms
                """);
        assertEquals(List.of(many + ":2: warhorse.metrics.history: keeps at most 100000 samples of metrics.interval (PT16M40S"
                + " at PT0.01S), got PT16M40.01S"), problems(many));
    }
}
