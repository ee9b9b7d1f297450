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
}
