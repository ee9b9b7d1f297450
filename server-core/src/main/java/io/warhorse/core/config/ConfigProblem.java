package io.warhorse.core.config;

import com.typesafe.config.ConfigOrigin;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One thing wrong with the configuration, said so a user can find and fix it:
 * {@code conf/warhorse.conf:12: warhorse.threads: expected a whole number, got "lots"}.
 *
 * @param where   {@code FILE:LINE}, {@code env WARHORSE_X}, {@code command line --flag}, or null when no place applies
 * @param key     the setting's path, or null when the problem is not about one key (a syntax error, a missing file)
 * @param message what is wrong and, where it helps, what to write instead
 */
public record ConfigProblem(String where, String key, String message) {

    private static final Pattern FILE_LINE = Pattern.compile("(.*):([0-9]+)");

    /** Problems in files first, by file and line, as a compiler lists them; the rest after, in the order found. */
    public static final Comparator<ConfigProblem> BY_PLACE = (a, b) -> {
        Matcher first = a.fileLine();
        Matcher second = b.fileLine();
        if (first == null || second == null) {
            return first == second ? 0 : first == null ? 1 : -1;
        }
        int byFile = first.group(1).compareTo(second.group(1));
        return byFile != 0 ? byFile : Integer.compare(Integer.parseInt(first.group(2)), Integer.parseInt(second.group(2)));
    };

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

    private Matcher fileLine() {
        Matcher matcher = where == null ? null : FILE_LINE.matcher(where);
        return matcher != null && matcher.matches() ? matcher : null;
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
