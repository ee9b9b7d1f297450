package io.warhorse.core.metrics;

import io.warhorse.core.config.Settings;
import java.util.List;

/**
 * What the master shows about itself: its workers' merged metrics, the worker table the arbiter publishes after
 * each turn of its loop, the last minutes of both ({@link History}), the busiest routes ({@link RouteTable}) and
 * what the master did ({@link Timeline}). Written by the arbiter's thread and the sampling thread ({@link #sample}),
 * read by the admin listener's, the control socket's and the reporters'.
 */
public final class MasterView {

    private final MergedMetrics metrics = new MergedMetrics();
    private final long startedMillis = System.currentTimeMillis();
    private final History history;
    private final RouteTable routes;
    private final Timeline timeline;
    private volatile List<WorkerRow> workers = List.of();
    private volatile int generation = 1;
    private volatile int desired;

    /** Sized by {@code metrics.history} (at one sample per {@code metrics.interval}) and {@code metrics.events}. */
    public MasterView(Settings.Metrics settings) {
        long interval = Math.max(1, settings.interval().toMillis());
        this.history = new History((int) Math.max(2, settings.history().toMillis() / interval), interval);
        this.routes = new RouteTable(Math.min(settings.history().toMillis(), 60_000));
        this.timeline = new Timeline(settings.events(), System::currentTimeMillis);
    }

    public MergedMetrics metrics() {
        return metrics;
    }

    public History history() {
        return history;
    }

    public RouteTable routes() {
        return routes;
    }

    public Timeline timeline() {
        return timeline;
    }

    /** One merged view of the snapshots so far, with each worker's row and figures from it. */
    public record Now(MergedMetrics.View merged, List<WorkerFigures> workers) {}

    public Now now() {
        MergedMetrics.View merged = metrics.merged();
        return new Now(merged, WorkerFigures.of(workers, merged));
    }

    /** Adds a sample at {@code nowMillis} to the history and the route table; every {@code metrics.interval}. */
    public void sample(long nowMillis) {
        Now now = now();
        history.sample(nowMillis, now.merged(), now.workers());
        routes.sample(nowMillis, now.merged().histograms());
    }

    public void publish(List<WorkerRow> rows, int generation, int desired) {
        this.workers = List.copyOf(rows);
        this.generation = generation;
        this.desired = desired;
    }

    public List<WorkerRow> workers() {
        return workers;
    }

    public int generation() {
        return generation;
    }

    public int desired() {
        return desired;
    }

    public long uptimeMillis() {
        return System.currentTimeMillis() - startedMillis;
    }

    /** At least one worker has said ready and is not draining. */
    public boolean ready() {
        return workers.stream().anyMatch(row -> row.state().equals("ready"));
    }
}
