package io.warhorse.core.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code warhorse.apps}: each entry {@code PATH} or {@code PATH=/context}, resolved against the folder of
 * the file that names it (or the working directory for the command line and environment), existing, and with a
 * context path no other app uses.
 */
final class AppsReader {

    private final SettingsReader reader;

    AppsReader(SettingsReader reader) {
        this.reader = reader;
    }

    List<AppSpec> apps(String path) {
        List<? extends ConfigValue> entries = reader.get(path, "a list of apps such as [\"shop.war\", \"site=/\"]",
                key -> reader.config().getList(key), List.of());
        List<AppSpec> apps = new ArrayList<>();
        Map<String, AppSpec> byContext = new HashMap<>();
        for (ConfigValue entry : entries) {
            AppSpec app = app(path, entry);
            if (app == null) {
                continue;
            }
            AppSpec other = byContext.putIfAbsent(app.contextPath(), app);
            if (other != null) {
                reader.problem(entry.origin(), path, "two apps on context path " + app.contextPath() + ": "
                        + other.source() + " and " + app.source() + "; give one another context with PATH=/context");
            }
            apps.add(app);
        }
        return apps;
    }

    private AppSpec app(String path, ConfigValue entry) {
        if (entry.valueType() != ConfigValueType.STRING) {
            reader.problem(entry.origin(), path, "expected an app path such as \"shop.war\" or \"shop.war=/shop\", got "
                    + entry.render());
            return null;
        }
        String text = (String) entry.unwrapped();
        try {
            AppSpec app = AppSpec.parse(text, reader.baseOf(entry.origin()));
            if (!Files.exists(app.source())) {
                reader.problem(entry.origin(), path, "'" + text + "': no such file or folder: " + app.source());
                return null;
            }
            return app;
        } catch (IllegalArgumentException | ConfigException e) {
            reader.problem(entry.origin(), path, "'" + text + "': " + e.getMessage());
            return null;
        }
    }
}
