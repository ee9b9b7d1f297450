package io.warhorse.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.config.TestSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** warhorse's default worker JVM options under the user's: the user's always win, synonyms included. */
class WorkerJvmOptionsTest {

    private static final List<String> DEFAULTS = List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx1g", "-Xmn8m",
            "-XX:TrimNativeHeapInterval=10000", "-Dwarhorse.example=default");

    @Test
    void withoutUserOptionsAWorkerGetsTheDefaultsOfReferenceConf() {
        List<String> options = WorkerJvmOptions.of(TestSettings.of());
        assertTrue(options.contains("-XX:+UseSerialGC"), options.toString());
        assertTrue(options.stream().anyMatch(option -> option.startsWith("-Xms")), options.toString());
        assertTrue(options.contains("-XX:MaxRAMPercentage=25"), "one worker: the JDK's own 25%: " + options);
    }

    /** heap-percent (50) is shared by the workers, at most the JDK's 25% each; a maximum heap of the user's wins. */
    @Test
    void theWorkersShareHeapPercentUnlessAMaximumHeapIsGiven() {
        assertEquals("-XX:MaxRAMPercentage=25", WorkerJvmOptions.heapShare(50, 2));
        assertEquals("-XX:MaxRAMPercentage=12.5", WorkerJvmOptions.heapShare(50, 4));
        assertEquals("-XX:MaxRAMPercentage=16.66", WorkerJvmOptions.heapShare(50, 3));
        assertEquals("-XX:MaxRAMPercentage=0.78", WorkerJvmOptions.heapShare(50, 64));
        assertEquals("-XX:MaxRAMPercentage=0.05", WorkerJvmOptions.heapShare(1, 20));
        assertEquals("-XX:MaxRAMPercentage=0.29", WorkerJvmOptions.heapShare(29, 100)); // 0.29 * 100 is 28.999... as a double
        assertEquals("-XX:MaxRAMPercentage=0.1", WorkerJvmOptions.heapShare(1, 10));
        assertEquals("-XX:MaxRAMPercentage=20.3", WorkerJvmOptions.heapShare(203, 10));
        assertEquals("-XX:MaxRAMPercentage=0", WorkerJvmOptions.heapShare(1, 1000));
        List<String> four = WorkerJvmOptions.of(TestSettings.of("warhorse.workers", "4"));
        assertTrue(four.contains("-XX:MaxRAMPercentage=12.5"), four.toString());
        List<String> mine = WorkerJvmOptions.of(TestSettings.of("warhorse.workers", "4", "warhorse.worker.jvm-options",
                "[\"-Xmx300m\"]"));
        assertTrue(mine.contains("-Xmx300m") && mine.stream().noneMatch(option -> option.startsWith("-XX:MaxRAMPercentage")),
                mine.toString());
        List<String> off = WorkerJvmOptions.of(TestSettings.of("warhorse.workers", "4", "warhorse.worker.heap-percent", "0"));
        assertTrue(off.stream().noneMatch(option -> option.startsWith("-XX:MaxRAMPercentage")), off.toString());
    }

    @Test
    void aUserHeapOrCollectorReplacesTheDefaultOfItsFamilyAndComesLast() {
        assertEquals(List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmn8m", "-XX:TrimNativeHeapInterval=10000",
                "-Dwarhorse.example=default", "-Xmx512m"), WorkerJvmOptions.merge(DEFAULTS, List.of("-Xmx512m")));
        // a percentage loses to any -Xmx on the JVM's command line, wherever: so the default -Xmx goes
        assertEquals(List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmn8m", "-XX:TrimNativeHeapInterval=10000",
                "-Dwarhorse.example=default", "-XX:MaxRAMPercentage=50"),
                WorkerJvmOptions.merge(DEFAULTS, List.of("-XX:MaxRAMPercentage=50")));
        // two collectors stop the JVM: the user's alone is kept
        assertEquals(List.of("-Xms32m", "-Xmx1g", "-Xmn8m", "-XX:TrimNativeHeapInterval=10000",
                "-Dwarhorse.example=default", "-XX:+UseG1GC"), WorkerJvmOptions.merge(DEFAULTS, List.of("-XX:+UseG1GC")));
        assertEquals(List.of("-XX:+UseSerialGC", "-Xmx1g", "-XX:TrimNativeHeapInterval=10000", "-Dwarhorse.example=default",
                "-XX:InitialHeapSize=64m", "-XX:NewRatio=3"),
                WorkerJvmOptions.merge(DEFAULTS, List.of("-XX:InitialHeapSize=64m", "-XX:NewRatio=3")));
    }

    @Test
    void theSameOptionOrPropertyReplacesTheDefaultAndOthersAreKept() {
        assertEquals(List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx1g", "-Xmn8m", "-XX:TrimNativeHeapInterval=0",
                "-Dwarhorse.example=mine", "-Dother=1", "-XX:+UseStringDeduplication"),
                WorkerJvmOptions.merge(DEFAULTS, List.of("-XX:TrimNativeHeapInterval=0", "-Dwarhorse.example=mine",
                        "-Dother=1", "-XX:+UseStringDeduplication")));
        assertEquals(DEFAULTS, WorkerJvmOptions.merge(DEFAULTS, List.of()));
        assertEquals(List.of("-Xmx64m"), WorkerJvmOptions.merge(List.of(), List.of("-Xmx64m")));
    }

    @Test
    void optionsFallIntoTheirFamilies() {
        assertEquals("gc", WorkerJvmOptions.family("-XX:+UseZGC"));
        assertEquals("gc", WorkerJvmOptions.family("-XX:-UseSerialGC"));
        assertEquals("-XX:UseGCOverheadLimit", WorkerJvmOptions.family("-XX:-UseGCOverheadLimit"), "not a collector");
        assertEquals("max-heap", WorkerJvmOptions.family("-XX:MaxHeapSize=1g"));
        assertEquals("initial-heap", WorkerJvmOptions.family("-XX:InitialRAMPercentage=5"));
        assertEquals("young", WorkerJvmOptions.family("-XX:MaxNewSize=32m"));
        assertEquals("-Xss", WorkerJvmOptions.family("-Xss512k"));
        assertEquals("-Da.b", WorkerJvmOptions.family("-Da.b=c"));
        assertEquals("-Da.b", WorkerJvmOptions.family("-Da.b"));
        assertEquals("--enable-preview", WorkerJvmOptions.family("--enable-preview"));
    }
}
