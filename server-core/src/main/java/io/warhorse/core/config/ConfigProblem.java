package io.warhorse.core.config;

import com.typesafe.config.ConfigOrigin;

/**
 * One thing wrong with the configuration, said so a user can find and fix it:
 * {@code conf/warhorse.conf:12: warhorse.threads: expected a whole number, got "lots"}.
 *
 * @param where   {@code FILE:LINE}, {@code env WARHORSE_X}, {@code command line --flag}, or null when no place applies
 * @param key     the setting's path, or null when the problem is not about one key (a syntax error, a missing file)
 * @param message what is wrong and, where it helps, what to write instead
 */
public record ConfigProblem(String where, String key, String message) {

    public static ConfigProblem at(ConfigOrigin origin, String key, String message) {
        return new ConfigProblem(describe(origin), key, message);
    }

    /**
     * Says where a value came from: {@code FILE:LINE} for a user's file, {@code reference.conf} for a default,
     * and the origin's own description ({@code env WARHORSE_X}, {@code command line --threads}) otherwise.
     */
    public static String describe(ConfigOrigin origin) {
        if (origin == null) {
            return null;
        }
        if (origin.resource() != null) {
            return origin.resource();
        }
        if (origin.filename() != null) {
            return origin.lineNumber() > 0 ? origin.filename() + ":" + origin.lineNumber() : origin.filename();
        }
        return origin.description();
    }

    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(where == null ? "warhorse" : where);
        if (key != null) {
            line.append(": ").append(key);
        }
        return line.append(": ").append(message).toString();
    }
}
