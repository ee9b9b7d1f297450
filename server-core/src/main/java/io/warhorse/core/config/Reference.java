package io.warhorse.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The settings warhorse knows: the leaves under {@code warhorse} in the bundled reference.conf, in the order the
 * file declares them. Everything that asks "is this a setting?" (unknown keys, environment names, flags,
 * --print-config) asks here, so reference.conf stays the one list.
 */
public final class Reference {

    /** The one root every setting lives under. */
    public static final String ROOT = "warhorse";

    private static final Config CONFIG = ConfigFactory.parseResources(Reference.class.getClassLoader(), "reference.conf")
            .withOnlyPath(ROOT).resolve();
    private static final List<String> SETTINGS = CONFIG.entrySet().stream()
            .sorted(Comparator.comparingInt(entry -> entry.getValue().origin().lineNumber()))
            .map(Map.Entry::getKey)
            .toList();

    private Reference() {}

    /** reference.conf's {@code warhorse} tree: every default. */
    public static Config config() {
        return CONFIG;
    }

    /** Every setting's full path ({@code warhorse.http.idle-timeout}), in reference.conf's order. */
    public static List<String> settings() {
        return SETTINGS;
    }

    public static boolean isSetting(String path) {
        return SETTINGS.contains(path);
    }

    /** True if {@code path} names a block that holds settings ({@code warhorse}, {@code warhorse.http}). */
    public static boolean isBlock(String path) {
        return SETTINGS.stream().anyMatch(setting -> setting.startsWith(path + "."));
    }

    /** True if {@code path} lies below a setting ({@code warhorse.threads.max}), which is a type error, not a new key. */
    public static boolean isUnderSetting(String path) {
        return SETTINGS.stream().anyMatch(setting -> path.startsWith(setting + "."));
    }

    public static ConfigValueType type(String path) {
        return CONFIG.getValue(path).valueType();
    }

    public static ConfigValue defaultValue(String path) {
        return CONFIG.getValue(path);
    }

    /** The setting a mistyped {@code path} most likely meant, or null if none is close. */
    public static String suggest(String path) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String setting : SETTINGS) {
            int distance = Math.min(distance(path, setting), distance(path, setting.substring(ROOT.length() + 1)));
            if (distance < bestDistance) {
                best = setting;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.max(2, path.length() / 4) ? best : null;
    }

    /** Levenshtein distance: insertions, deletions and substitutions to turn {@code a} into {@code b}. */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
