package io.warhorse.core.testing;

import io.warhorse.core.config.AppSpec;
import io.warhorse.core.config.HostPort;
import io.warhorse.core.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Settings for tests: reference.conf's defaults with a few values changed. */
public final class TestSettings {

    private TestSettings() {}

    public static Settings of(String kind, AppSpec... apps) {
        return new Settings(kind, List.of(apps), new HostPort("127.0.0.1", 0), 2048, 32, 64, 1000, 0,
                new Settings.Async(0, Duration.ofMillis(100)),
                new Settings.Http(64 * 1024, 200, 1000, 100L << 20, Duration.ofSeconds(30), Duration.ofSeconds(60)),
                new Settings.Deploy(Path.of("")), Duration.ofSeconds(30), "INFO");
    }
}
