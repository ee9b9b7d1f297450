package io.warhorse.core.testing;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4) for tests: every line must be a
 * {@code # HELP}, a {@code # TYPE} or a sample of the family declared last; histogram buckets must be cumulative and
 * end with {@code le="+Inf"} equal to {@code _count}. Throws {@link AssertionError} naming the bad line.
 */
public final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final String VALUE = "(?:[-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|Inf)|NaN)";
    private static final Pattern SAMPLE = Pattern.compile(
            "^(" + NAME + ")(\\{(?:" + LABEL + "(?:," + LABEL + ")*,?)?\\})? (" + VALUE + ")(?: -?[0-9]+)?$");
    private static final Pattern HELP = Pattern.compile("^# HELP (" + NAME + ") .*$");
    private static final Pattern TYPE = Pattern.compile("^# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)$");

    private PrometheusText() {}

    /** Every sample, keyed by its name and labels as written ({@code name{a="b"}}). */
    public static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        String family = null;
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            if (line.isEmpty() && number > 1) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                family = type.group(1);
                check(types.put(family, type.group(2)) == null, number, "family declared twice: " + line);
                continue;
            }
            if (HELP.matcher(line).matches()) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            check(sample.matches(), number, "not a valid sample line: " + line);
            String name = sample.group(1);
            check(family != null && belongs(name, family, types.get(family)), number, "sample outside its family " + family + ": " + line);
            check(samples.put(name + (sample.group(2) == null ? "" : sample.group(2)), value(sample.group(3))) == null,
                    number, "sample written twice: " + line);
        }
        checkHistograms(samples, types);
        return samples;
    }

    private static boolean belongs(String name, String family, String type) {
        if (name.equals(family)) {
            return !type.equals("histogram");
        }
        return switch (type) {
            case "histogram" -> name.equals(family + "_bucket") || name.equals(family + "_count") || name.equals(family + "_sum");
            case "summary" -> name.equals(family + "_count") || name.equals(family + "_sum");
            case "counter" -> name.equals(family + "_total") || name.equals(family + "_created");
            default -> false;
        };
    }

    private static void checkHistograms(Map<String, Double> samples, Map<String, String> types) {
        types.forEach((family, type) -> {
            if (!type.equals("histogram")) {
                return;
            }
            Map<String, Double> lastBucket = new HashMap<>();
            samples.forEach((key, value) -> {
                if (!key.startsWith(family + "_bucket{")) {
                    return;
                }
                String series = key.replaceAll(",?le=\"[^\"]*\"", "").replace(family + "_bucket", family + "_count").replace("{}", "");
                Double previous = lastBucket.put(series, value);
                if (previous != null && value < previous) {
                    throw new AssertionError("histogram buckets not cumulative at " + key);
                }
                if (key.contains("le=\"+Inf\"") && !value.equals(samples.get(series))) {
                    throw new AssertionError(key + " = " + value + " but " + series + " = " + samples.get(series));
                }
            });
        });
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static void check(boolean ok, int line, String message) {
        if (!ok) {
            throw new AssertionError("line " + line + ": " + message);
        }
    }
}
