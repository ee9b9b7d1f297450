package io.warhorse.core.master;

import io.warhorse.core.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker's JVM options: {@code worker.default-jvm-options} (warhorse's heap and GC for a small container), then
 * the user's {@code worker.jvm-options}, where the user's always win. The JVM keeps the last of two equal options,
 * but not across synonyms: a user's {@code -XX:MaxRAMPercentage=50} loses to a default {@code -Xmx}, and a user's
 * {@code -XX:+UseG1GC} beside a default {@code -XX:+UseSerialGC} stops the JVM ("multiple garbage collectors
 * selected"). So a default is left out when the user sets anything of its family: the collector, the maximum
 * heap, the initial heap, the young generation, or else the same option or system property. Unless one of them sets
 * a maximum heap, each worker gets its share of {@code worker.heap-percent}, so N workers' heaps fit the RAM together.
 * Stateless; called on the arbiter's thread.
 */
final class WorkerJvmOptions {

    private static final Pattern XX = Pattern.compile("-XX:[+-]?(\\w+).*");
    private static final Pattern SYSTEM_PROPERTY = Pattern.compile("(-D[^=]+)(=.*)?");
    private static final Set<String> COLLECTORS = Set.of("UseSerialGC", "UseParallelGC", "UseG1GC", "UseZGC",
            "UseShenandoahGC", "UseEpsilonGC");
    private static final Set<String> MAX_HEAP = Set.of("MaxHeapSize", "MaxRAMPercentage", "MaxRAMFraction", "MaxRAM");
    private static final Set<String> INITIAL_HEAP = Set.of("InitialHeapSize", "InitialRAMPercentage",
            "InitialRAMFraction", "MinHeapSize");
    private static final Set<String> YOUNG = Set.of("NewSize", "MaxNewSize", "NewRatio");

    private WorkerJvmOptions() {}

    /**
     * The options every worker of {@code settings} starts with, the defaults first: {@code default-jvm-options},
     * then the worker's share of {@code heap-percent} unless the defaults set a maximum heap themselves, then the
     * user's {@code jvm-options}.
     */
    static List<String> of(Settings settings) {
        Settings.WorkerProcess worker = settings.workerProcess();
        List<String> defaults = new ArrayList<>(worker.defaultJvmOptions());
        if (worker.heapPercent() > 0 && defaults.stream().noneMatch(option -> family(option).equals("max-heap"))) {
            defaults.add(heapShare(worker.heapPercent(), settings.master().workers()));
        }
        return merge(defaults, worker.jvmOptions());
    }

    /** One worker's maximum heap: {@code percent} of the RAM shared by {@code workers}, at most the JDK's 25. */
    static String heapShare(int percent, int workers) {
        // in hundredths, rounded down, without BigDecimal (whose class initializer costs the master ~25 ms)
        long hundredths = Math.min(2500, percent * 100L / Math.max(1, workers));
        long fraction = hundredths % 100;
        String share = hundredths / 100 + (fraction == 0 ? "" : fraction % 10 == 0 ? "." + fraction / 10
                : fraction < 10 ? ".0" + fraction : "." + fraction);
        return "-XX:MaxRAMPercentage=" + share;
    }

    /** {@code defaults} minus those whose family {@code user} sets, then {@code user}. */
    static List<String> merge(List<String> defaults, List<String> user) {
        Set<String> taken = new java.util.HashSet<>();
        for (String option : user) {
            taken.add(family(option));
        }
        List<String> options = new ArrayList<>();
        for (String option : defaults) {
            if (!taken.contains(family(option))) {
                options.add(option);
            }
        }
        options.addAll(user);
        return List.copyOf(options);
    }

    /** What an option sets: options of one family replace each other. */
    static String family(String option) {
        if (option.startsWith("-Xmx")) {
            return "max-heap";
        }
        if (option.startsWith("-Xms")) {
            return "initial-heap";
        }
        if (option.startsWith("-Xmn")) {
            return "young";
        }
        if (option.startsWith("-Xss")) {
            return "-Xss";
        }
        Matcher xx = XX.matcher(option);
        if (xx.matches()) {
            return xxFamily(xx.group(1));
        }
        Matcher property = SYSTEM_PROPERTY.matcher(option);
        return property.matches() ? property.group(1) : option;
    }

    private static String xxFamily(String name) {
        if (COLLECTORS.contains(name)) {
            return "gc";
        }
        if (MAX_HEAP.contains(name)) {
            return "max-heap";
        }
        if (INITIAL_HEAP.contains(name)) {
            return "initial-heap";
        }
        if (YOUNG.contains(name)) {
            return "young";
        }
        return "-XX:" + name;
    }
}
