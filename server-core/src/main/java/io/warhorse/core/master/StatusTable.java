package io.warhorse.core.master;

import io.warhorse.core.metrics.MasterView;
import io.warhorse.core.metrics.WorkerFigures;
import io.warhorse.core.metrics.WorkerRow;
import java.util.Locale;

/**
 * The table {@code warhorse ctl status} prints: one row per worker, its figures from the same metrics snapshots as
 * the total under it (so the rows plus the workers that exited add up to it), and a note on what is unusual.
 * Runs on the arbiter's thread.
 */
final class StatusTable {

    private static final String FORMAT = "%-8s %-8s %-10s %-4s %-9s %-10s %-9s %-10s %-9s %s%n";

    private StatusTable() {}

    static String render(Arbiter arbiter) {
        MasterView view = arbiter.view();
        view.publish(WorkerRows.of(arbiter), arbiter.generation().number(), arbiter.desired());
        MasterView.Now now = view.now();
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "master pid %d, generation %d, %d worker(s) wanted%n",
                ProcessHandle.current().pid(), arbiter.generation().number(), arbiter.desired()));
        table.append(String.format(Locale.ROOT, FORMAT, "ID", "PID", "STATE", "GEN", "KIND", "UPTIME", "REQUESTS", "IN-FLIGHT", "RSS", "NOTE"));
        for (WorkerFigures figures : now.workers()) {
            WorkerRow worker = figures.row();
            long rss = figures.rssBytes();
            table.append(String.format(Locale.ROOT, FORMAT, worker.id(), worker.pid(), worker.state(), worker.generation(),
                    worker.kind(), worker.uptimeMillis() / 1000 + "s", figures.requests(), figures.inFlight(),
                    rss < 0 ? "?" : (rss >> 20) + "MiB", figures.note()));
        }
        long live = WorkerFigures.sumRequests(now.workers());
        Long merged = now.merged().counters().get("requests.total");
        // a worker with no snapshot yet is in the rows from its heartbeats and not in the merged total: added to it
        long total = merged == null ? live : merged + WorkerFigures.sumHeartbeatRequests(now.workers());
        table.append(merged == null ? String.format(Locale.ROOT, "total %d requests (from heartbeats: no metrics snapshot yet, or metrics off)%n", live)
                : String.format(Locale.ROOT, "total %d requests (%d by workers that exited)%n", total, total - live));
        return table.toString();
    }
}
