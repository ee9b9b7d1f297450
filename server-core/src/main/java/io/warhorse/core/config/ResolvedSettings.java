package io.warhorse.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The effective settings as a file the master writes and its workers read: workers get exactly what the master
 * resolved (file, environment and flags already merged, app paths absolute) and never re-parse the user's
 * command line or environment.
 */
public final class ResolvedSettings {

    private ResolvedSettings() {}

    /**
     * Writes {@code loaded} to {@code file} as HOCON (JSON syntax), with every app path and every path setting made
     * absolute as the master resolved it: a relative value was relative to the master's working directory or to the
     * config file that set it, never to the folder of this file, where the workers read it.
     */
    public static Path write(ConfigLoader.Loaded loaded, Path file) throws IOException {
        List<String> apps = loaded.settings().apps().stream()
                .map(app -> app.source().toAbsolutePath().normalize() + "=" + app.contextPath()).toList();
        Config config = loaded.config().withValue(Reference.ROOT + ".apps", ConfigValueFactory.fromIterable(apps));
        for (Map.Entry<String, Object> path : loaded.paths().entrySet()) {
            config = config.withValue(path.getKey(), ConfigValueFactory.fromAnyRef(path.getValue()));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(partial, config.root().render(ConfigRenderOptions.concise().setFormatted(true)));
        return Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a file written by {@link #write}: every setting, checked by the master, so neither reference.conf nor
     * the environment nor flags (a worker's settings are exactly its master's).
     */
    public static Settings read(Path file, Set<String> workerKinds) throws InvalidConfigException {
        return ConfigLoader.readComplete(file, workerKinds);
    }
}
