package io.warhorse.worker.virtual;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether the JVM is still warming up: its JIT compilers spent more than {@value #PERCENT}% of the last interval
 * compiling. While they do, requests run partly interpreted and use several times the CPU they will once warm
 * (measured on a platform thread: the session-counter app's redis-backed /read used 3 to 4 ms of CPU per request for
 * its first hundreds of requests on a loaded machine, 0.5 ms after 2,400), so a carrier one of them keeps busy is no
 * evidence about its route. Where the JVM does not report compilation time, it is never warming. The JIT's
 * management bean is asked for at the first sample, not when this is made: loading the management classes took
 * about half of the virtual kind's start on a booting worker's main thread. Until two samples have been taken, the
 * JVM counts as warming.
 *
 * <p>{@link #sample} runs every interval on the watch's scheduler thread; {@link #warming} on any thread.
 */
final class JitWarmth {

    static final Duration INTERVAL = Duration.ofMillis(250);
    private static final int PERCENT = 20;

    private CompilationMXBean jit;
    private boolean known = true; // until the first sample asks
    private final LongSupplier clock;
    private long lastNanos = -1;
    private long lastMillis;
    private volatile long compiledMillis;
    private volatile boolean warming = true;

    JitWarmth(LongSupplier clock) {
        this.clock = clock;
    }

    /** Compares the JIT's compilation time with the wall time since the last sample. */
    void sample() {
        if (jit == null && known) {
            jit = ManagementFactory.getCompilationMXBean();
            known = jit != null && jit.isCompilationTimeMonitoringSupported();
            if (!known) {
                warming = false;
            }
        }
        if (!known) {
            return;
        }
        long now = clock.getAsLong();
        long compiled = jit.getTotalCompilationTime();
        if (lastNanos >= 0 && now > lastNanos) {
            compiledMillis = compiled - lastMillis;
            warming = compiledMillis * 1_000_000 * 100 > (now - lastNanos) * PERCENT;
        }
        lastNanos = now;
        lastMillis = compiled;
    }

    boolean warming() {
        return warming;
    }

    /** For a log line: "the JIT compiled for 180 ms of the last 500 ms". */
    String described() {
        return "the JIT compiled for " + compiledMillis + " ms of the last " + INTERVAL.toMillis() + " ms";
    }
}
