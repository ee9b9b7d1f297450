package io.warhorse.core.master;

import io.warhorse.core.metrics.WorkerRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The arbiter's workers as {@link WorkerRow}s for the admin listener and {@code ctl status}; built on the arbiter's thread. */
final class WorkerRows {

    private WorkerRows() {}

    static List<WorkerRow> of(Arbiter arbiter) {
        long now = arbiter.now();
        return arbiter.workers().stream().map(worker -> new WorkerRow(worker.id, worker.pid(), worker.kind,
                worker.generation, worker.state.name().toLowerCase(Locale.ROOT), worker.uptime(now).toMillis(),
                worker.requests, worker.inFlight, TimeUnit.NANOSECONDS.toMillis(now - worker.lastBeatNanos),
                note(worker), worker.process::residentBytes)).toList();
    }

    /** What is unusual about {@code worker}: its process's own note (an AOT recording), a timeout, its exit. */
    private static String note(WorkerHandle worker) {
        List<String> notes = new ArrayList<>();
        if (!worker.process.note().isEmpty() && worker.byeNanos == 0) {
            notes.add(worker.process.note());
        }
        if (worker.byeNanos != 0) {
            notes.add("exiting (said bye)");
        } else if (worker.quitSentNanos != 0) {
            notes.add("no heartbeat: thread dump requested, being killed");
        }
        return String.join("; ", notes);
    }
}
