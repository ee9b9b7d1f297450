package io.warhorse.core.metrics;

import com.codahale.metrics.MetricRegistry;
import io.warhorse.core.Threads;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Sends a worker's metrics to the master as JSON (a control protocol {@code Metrics} message), every interval and once more
 * when the worker stops, so the master's totals include the worker's last requests. Before each snapshot it runs
 * {@code beforeSnapshot} (the worker records the requests its recorder thread has queued), so a snapshot's status
 * meters and timers agree with its {@code requests.total}, but for requests ending while it is encoded. Runs a
 * thread of its own, apart from the heartbeat's, so a slow snapshot never delays a beat.
 */
public final class MetricsShipper implements AutoCloseable {

    private final MetricRegistry registry;
    private final Predicate<String> send;
    private final Runnable beforeSnapshot;
    private final ScheduledExecutorService thread;

    private MetricsShipper(MetricRegistry registry, Predicate<String> send, Runnable beforeSnapshot, ScheduledExecutorService thread) {
        this.registry = registry;
        this.send = send;
        this.beforeSnapshot = beforeSnapshot;
        this.thread = thread;
    }

    /**
     * @param send           sends one snapshot, as JSON, to the master; false if the master is gone
     * @param beforeSnapshot brings the registry up to date with the requests completed so far
     */
    public static MetricsShipper start(MetricRegistry registry, Duration interval, Predicate<String> send,
            Runnable beforeSnapshot, Threads threads) {
        MetricsShipper shipper = new MetricsShipper(registry, send, beforeSnapshot, threads.scheduler("metrics"));
        long millis = Math.max(100, interval.toMillis());
        shipper.thread.scheduleAtFixedRate(shipper::sendNow, millis, millis, TimeUnit.MILLISECONDS);
        return shipper;
    }

    public void sendNow() {
        beforeSnapshot.run();
        send.test(Snapshots.encode(registry));
    }

    /**
     * Stops the schedule and sends a last snapshot. The schedule is not interrupted: an interrupt during a send
     * would close the worker's control connection (NIO channels close on interrupt), and its {@code bye} with it.
     */
    @Override
    public void close() {
        Threads.stop(thread, Duration.ofSeconds(5), false);
        sendNow();
    }
}
