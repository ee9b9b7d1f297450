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

    /** Writes {@code loaded} to {@code file} as HOCON (JSON syntax), with every app path made absolute. */
    public static Path write(ConfigLoader.Loaded loaded, Path file) throws IOException {
        List<String> apps = loaded.settings().apps().stream()
                .map(app -> app.source().toAbsolutePath().normalize() + "=" + app.contextPath()).toList();
        Config config = loaded.config().withValue(Reference.ROOT + ".apps", ConfigValueFactory.fromIterable(apps));
        config = withTlsFilesAbsolute(config, loaded.settings().edge().tls());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(partial, config.root().render(ConfigRenderOptions.concise().setFormatted(true)));
        return Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The TLS files as the master resolved them (a relative flag value is relative to its working directory). */
    private static Config withTlsFilesAbsolute(Config config, Settings.Tls tls) {
        Map<String, Path> files = new java.util.LinkedHashMap<>();
        files.put("certfile", tls.certfile());
        files.put("keyfile", tls.keyfile());
        files.put("ca-certs", tls.caCerts());
        for (var file : files.entrySet()) {
            if (file.getValue() != null) {
                config = config.withValue(Reference.ROOT + ".tls." + file.getKey(), ConfigValueFactory.fromAnyRef(file.getValue().toString()));
            }
        }
        return config;
    }

    /** Reads a file written by {@link #write} on top of reference.conf, with no environment and no flags. */
    public static Settings read(Path file, Set<String> workerKinds) throws InvalidConfigException {
        return ConfigLoader.load(new ConfigLoader.Inputs(file, Map.of(), List.of(), file.toAbsolutePath().getParent()),
                workerKinds).settings();
    }
}
