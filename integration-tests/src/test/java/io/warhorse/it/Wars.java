package io.warhorse.it;

import io.warhorse.core.config.AppSpec;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample WARs the build copied into target/wars (see this module's pom). */
final class Wars {

    private Wars() {}

    static AppSpec app(String name) {
        return app(name, "/" + name);
    }

    static AppSpec app(String name, String context) {
        Path war = Path.of(System.getProperty("warhorse.wars", "target/wars")).resolve(name + ".war");
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException(war.toAbsolutePath() + " is missing: build with bin/test so Maven copies the sample WARs");
        }
        return new AppSpec(war, context);
    }
}
