package io.warhorse.it;

import io.warhorse.core.config.Settings;
import io.warhorse.core.config.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The sample WARs the build copied into target/wars (see this module's pom), and settings that deploy them. */
final class Wars {

    private Wars() {}

    /** {@code name.war} mounted at {@code /name}, as a {@code warhorse.apps} entry. */
    static String app(String name) {
        return app(name, "/" + name);
    }

    static String app(String name, String context) {
        return war(name) + "=" + context;
    }

    static Path war(String name) {
        Path war = Path.of(System.getProperty("warhorse.wars", "target/wars")).resolve(name + ".war").toAbsolutePath();
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException(war + " is missing: build with bin/test so Maven copies the sample WARs");
        }
        return war;
    }

    /** reference.conf's settings with worker kind {@code kind}, {@code apps}, and more path/value pairs. */
    static Settings settings(String kind, List<String> apps, String... pathsAndValues) {
        List<String> pairs = new ArrayList<>(List.of("warhorse.worker.kind", kind, "warhorse.apps", String.join(",", apps)));
        pairs.addAll(List.of(pathsAndValues));
        return TestSettings.of(pairs.toArray(String[]::new));
    }
}
