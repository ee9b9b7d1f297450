package io.warhorse.core.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads {@code warhorse.limits.routes}: a list of {@code { path, max-concurrent, queue }} blocks, each checked. */
final class RouteLimitsReader {

    private static final String PATH = "warhorse.limits.routes";
    private static final Set<String> KEYS = Set.of("path", "max-concurrent", "queue");

    private final SettingsReader reader;

    RouteLimitsReader(SettingsReader reader) {
        this.reader = reader;
    }

    List<RouteLimit> routes() {
        List<? extends ConfigValue> entries = reader.get(PATH, "a list of { path = \"/x/*\", max-concurrent = N, queue = N }",
                key -> reader.config().getList(key), List.of());
        List<RouteLimit> routes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ConfigValue entry : entries) {
            RouteLimit route = route(entry);
            if (route != null && !seen.add(route.path())) {
                reader.problem(entry.origin(), PATH, "two limits for path " + route.path());
            } else if (route != null) {
                routes.add(route);
            }
        }
        return routes;
    }

    private RouteLimit route(ConfigValue entry) {
        if (entry.valueType() != ConfigValueType.OBJECT) {
            reader.problem(entry.origin(), PATH, "expected { path = \"/x/*\", max-concurrent = N, queue = N }, got "
                    + entry.render(com.typesafe.config.ConfigRenderOptions.concise()));
            return null;
        }
        ConfigObject object = (ConfigObject) entry;
        for (String key : object.keySet()) {
            if (!KEYS.contains(key)) {
                reader.problem(object.get(key).origin(), PATH, "unknown key '" + key + "' in a route limit; keys: path, max-concurrent, queue");
            }
        }
        String path = text(object, "path");
        Integer max = number(object, "max-concurrent", 1);
        Integer queue = number(object, "queue", 0);
        if (path == null || max == null || queue == null) {
            return null;
        }
        if (!(path.startsWith("/") || path.startsWith("*.")) || path.indexOf('*') != path.lastIndexOf('*')
                || (path.contains("*") && !path.endsWith("/*") && !path.startsWith("*."))) {
            reader.problem(object.get("path").origin(), PATH, "path '" + path + "' must be /exact, /prefix/* or *.extension");
            return null;
        }
        return new RouteLimit(path, max, queue);
    }

    private String text(ConfigObject object, String key) {
        ConfigValue value = object.get(key);
        if (value == null || value.valueType() != ConfigValueType.STRING) {
            reader.problem(value == null ? object.origin() : value.origin(), PATH, "a route limit needs " + key + " = \"/x/*\"");
            return null;
        }
        return (String) value.unwrapped();
    }

    private Integer number(ConfigObject object, String key, int min) {
        ConfigValue value = object.get(key);
        if (value == null || value.valueType() != ConfigValueType.NUMBER || !(value.unwrapped() instanceof Integer number)) {
            reader.problem(value == null ? object.origin() : value.origin(), PATH, "a route limit needs " + key + " = N, a whole number");
            return null;
        }
        if (number < min) {
            reader.problem(value.origin(), PATH, key + " must be at least " + min + ", got " + number);
            return null;
        }
        return number;
    }
}
