package io.warhorse.core.metrics;

import com.codahale.metrics.MetricRegistry;
import io.warhorse.core.Threads;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Sends a worker's metrics to the master as one control line, {@code metrics JSON}, every interval and once more
 * when the worker stops, so the master's totals include the worker's last requests. Runs a thread of its own,
 * apart from the heartbeat's, so a slow snapshot never delays a beat.
 */
public final class MetricsShipper implements AutoCloseable {

    private final MetricRegistry registry;
    private final Predicate<String> send;
    private final ScheduledExecutorService thread;

    private MetricsShipper(MetricRegistry registry, Predicate<String> send, ScheduledExecutorService thread) {
        this.registry = registry;
        this.send = send;
        this.thread = thread;
    }

    /** @param send writes one control line; false if the master is gone */
    public static MetricsShipper start(MetricRegistry registry, Duration interval, Predicate<String> send, Threads threads) {
        MetricsShipper shipper = new MetricsShipper(registry, send, threads.scheduler("metrics"));
        long millis = Math.max(100, interval.toMillis());
        shipper.thread.scheduleAtFixedRate(shipper::sendNow, millis, millis, TimeUnit.MILLISECONDS);
        return shipper;
    }

    public void sendNow() {
        send.test("metrics " + Snapshots.encode(registry));
    }

    /** Stops the schedule and sends a last snapshot. */
    @Override
    public void close() {
        thread.shutdownNow();
        sendNow();
    }
}
