package io.warhorse.core.metrics;

import com.codahale.metrics.Metric;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request durations in fixed buckets, like a Prometheus histogram: unlike a Dropwizard {@code Timer}'s sampling
 * reservoir, bucket counts from several workers merge by plain addition, so the master's latency percentiles are
 * right across workers. Recorded from any thread; lock-free.
 */
public final class LatencyHistogram implements Metric {

    /** Upper bounds in seconds; a last bucket, +Inf, follows. */
    public static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final LongAdder[] counts = new LongAdder[BOUNDS.length + 1];
    private final LongAdder sumNanos = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();

    public LatencyHistogram() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Records one request of {@code nanos}; a 5xx answer is counted apart as well, for the busiest-routes table. */
    public void record(long nanos, boolean serverError) {
        record(nanos);
        if (serverError) {
            serverErrors.increment();
        }
    }

    public void record(long nanos) {
        double seconds = nanos / 1e9;
        int bucket = 0;
        while (bucket < BOUNDS.length && seconds > BOUNDS[bucket]) {
            bucket++;
        }
        counts[bucket].increment();
        sumNanos.add(nanos);
    }

    /** Per-bucket counts (not cumulative), {@code BOUNDS.length + 1} of them. */
    public long[] counts() {
        long[] copy = new long[counts.length];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = counts[i].sum();
        }
        return copy;
    }

    /** Requests answered 5xx. */
    public long serverErrors() {
        return serverErrors.sum();
    }

    public double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
