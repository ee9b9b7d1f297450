package io.warhorse.core.config;

import java.util.List;

/**
 * One setting given outside a file, by an environment variable or a command-line flag, as text.
 * Its type comes from reference.conf when the layers are merged, so {@code "32"} becomes a number for
 * {@code warhorse.threads} and {@code "a.war,b.war"} a list for {@code warhorse.apps}.
 *
 * @param path   the setting, for example {@code warhorse.threads}
 * @param value  the text as given, or a list of texts (app arguments)
 * @param origin where it came from, shown by --print-config and in errors: {@code env WARHORSE_THREADS},
 *               {@code command line --threads}
 */
public record ConfigOverride(String path, Object value, String origin) {

    public ConfigOverride {
        if (!(value instanceof String) && !(value instanceof List<?>)) {
            throw new IllegalArgumentException(path + ": value must be a String or a List<String>, got " + value);
        }
        value = value instanceof List<?> list ? List.copyOf(list) : value;
    }
}
