package io.warhorse.core.master;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The delay before the next worker starts after workers that die young (within 5 s of their start) or cannot be
 * started at all: none after the first, then 100 ms doubling up to 10 s, so a crash loop costs little CPU and log
 * but a passing failure is repaired at once. A worker that lived longer resets it. Used on the arbiter's thread.
 */
final class Backoff {

    private static final Duration YOUNG = Duration.ofSeconds(5);
    private static final long MAX_DELAY_MILLIS = 10_000;

    private final LongSupplier clock;
    private int crashes;
    private long notBeforeNanos;

    Backoff(LongSupplier clock) {
        this.clock = clock;
    }

    /** A worker died after {@code uptime}. */
    void died(Duration uptime) {
        if (uptime.compareTo(YOUNG) < 0) {
            failed();
        } else {
            crashes = 0;
            notBeforeNanos = 0;
        }
    }

    /** A worker could not start, or died young. */
    void failed() {
        crashes++;
        long delayMillis = crashes <= 1 ? 0 : Math.min(MAX_DELAY_MILLIS, 100L << Math.min(crashes - 2, 10));
        notBeforeNanos = clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    }

    /** Whether a worker may start now. */
    boolean allowsStart() {
        return clock.getAsLong() >= notBeforeNanos;
    }

    /** Failures in a row. */
    int crashes() {
        return crashes;
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, notBeforeNanos - clock.getAsLong()));
    }
}
