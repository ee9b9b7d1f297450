package io.warhorse.core.master;

import io.warhorse.core.metrics.WorkerRow;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The arbiter's workers as {@link WorkerRow}s for the admin listener; built on the arbiter's thread. */
final class WorkerRows {

    private WorkerRows() {}

    static List<WorkerRow> of(Arbiter arbiter) {
        long now = arbiter.now();
        return arbiter.workers().stream().map(worker -> new WorkerRow(worker.id, worker.pid(), worker.kind,
                worker.generation, worker.state.name().toLowerCase(Locale.ROOT), worker.uptime(now).toMillis(),
                worker.requests, worker.inFlight, TimeUnit.NANOSECONDS.toMillis(now - worker.lastBeatNanos),
                worker.process::residentBytes)).toList();
    }
}
