package io.warhorse.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settings for tests in any module (server-core's test jar): the defaults of reference.conf with a few settings
 * changed, built by the real loader so they pass the same checks as a user's.
 * {@code TestSettings.of("warhorse.worker.kind", "sync", "warhorse.threads", "4", "warhorse.bind", "127.0.0.1:0")}.
 */
public final class TestSettings {

    private TestSettings() {}

    /** @param pathsAndValues setting path, value as text, path, value...; app paths resolve against the working directory */
    public static Settings of(String... pathsAndValues) {
        if (pathsAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("expected pairs of path and value");
        }
        List<ConfigOverride> overrides = new ArrayList<>();
        Set<String> kinds = new java.util.HashSet<>(Set.of("sync", "virtual", "async"));
        for (int i = 0; i < pathsAndValues.length; i += 2) {
            overrides.add(new ConfigOverride(pathsAndValues[i], pathsAndValues[i + 1], "test"));
            if (pathsAndValues[i].equals("warhorse.worker.kind")) {
                kinds.add(pathsAndValues[i + 1]);
            }
        }
        try {
            return ConfigLoader.load(new ConfigLoader.Inputs(null, Map.of(), overrides, Path.of("").toAbsolutePath()), kinds)
                    .settings();
        } catch (InvalidConfigException e) {
            throw new IllegalArgumentException(String.join("\n", e.problems().stream().map(ConfigProblem::toString).toList()), e);
        }
    }
}
