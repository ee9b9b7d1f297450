package io.warhorse.core.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads {@code warhorse.offload.*}; each pin of {@code offload.routes} is checked, and two pins for one path are an error. */
final class OffloadReader {

    private static final String PINS = "warhorse.offload.routes";
    private static final String SHAPE = "{ path = \"/report/*\", run-on = kind|virtual|platform }";

    private final SettingsReader reader;

    OffloadReader(SettingsReader reader) {
        this.reader = reader;
    }

    Settings.Offload read() {
        return new Settings.Offload(reader.get("warhorse.offload.enabled", "true or false", reader.config()::getBoolean, false),
                reader.integer("warhorse.offload.strikes", 1), reader.duration("warhorse.offload.cpu-threshold", true),
                reader.integer("warhorse.offload.virtual-max", 0), reader.integer("warhorse.offload.platform-queue", 0),
                pins());
    }

    private List<RoutePin> pins() {
        List<? extends ConfigValue> entries = reader.get(PINS, "a list of " + SHAPE, key -> reader.config().getList(key), List.of());
        List<RoutePin> pins = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ConfigValue entry : entries) {
            RoutePin pin = pin(entry);
            if (pin != null && !seen.add(pin.path())) {
                reader.problem(entry.origin(), PINS, "two pins for path " + pin.path());
            } else if (pin != null) {
                pins.add(pin);
            }
        }
        return pins;
    }

    private RoutePin pin(ConfigValue entry) {
        if (entry.valueType() != ConfigValueType.OBJECT) {
            reader.problem(entry.origin(), PINS, "expected " + SHAPE + ", got " + entry.render(ConfigRenderOptions.concise()));
            return null;
        }
        ConfigObject object = (ConfigObject) entry;
        for (String key : object.keySet()) {
            if (!key.equals("path") && !key.equals("run-on")) {
                reader.problem(object.get(key).origin(), PINS, "unknown key '" + key + "' in a pin; keys: path, run-on");
            }
        }
        String path = text(object, "path");
        String runOn = text(object, "run-on");
        if (path == null || runOn == null) {
            return null;
        }
        if (!(path.startsWith("/") || path.startsWith("*."))) {
            reader.problem(object.get("path").origin(), PINS, "path '" + path + "' must be a servlet mapping: /exact, /prefix/* or *.extension");
            return null;
        }
        if (!RoutePin.PLACES.contains(runOn)) {
            reader.problem(object.get("run-on").origin(), PINS, "run-on must be one of " + RoutePin.PLACES + ", got '" + runOn + "'");
            return null;
        }
        return new RoutePin(path, runOn);
    }

    private String text(ConfigObject object, String key) {
        ConfigValue value = object.get(key);
        if (value == null || value.valueType() != ConfigValueType.STRING) {
            reader.problem(value == null ? object.origin() : value.origin(), PINS, "a pin needs " + key + " = \"...\": " + SHAPE);
            return null;
        }
        return (String) value.unwrapped();
    }
}
