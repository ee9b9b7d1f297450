package io.warhorse.core.metrics;

import java.util.List;

/**
 * What the master shows about itself: its workers' merged metrics, and the worker table the arbiter publishes
 * after each turn of its loop. Written by the arbiter's thread, read by the admin listener's and reporters'.
 */
public final class MasterView {

    private final MergedMetrics metrics = new MergedMetrics();
    private final long startedMillis = System.currentTimeMillis();
    private volatile List<WorkerRow> workers = List.of();
    private volatile int generation = 1;
    private volatile int desired;

    public MergedMetrics metrics() {
        return metrics;
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
