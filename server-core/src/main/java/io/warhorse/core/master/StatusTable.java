package io.warhorse.core.master;

import java.util.Locale;

/** The table {@code warhorse ctl status} prints: one row per worker. */
final class StatusTable {

    private static final String FORMAT = "%-8s %-8s %-10s %-4s %-9s %-10s %-9s %-10s %-9s%n";

    private StatusTable() {}

    static String render(Arbiter arbiter) {
        long now = arbiter.now();
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "master pid %d, generation %d, %d worker(s) wanted%n",
                ProcessHandle.current().pid(), arbiter.generation().number(), arbiter.desired()));
        table.append(String.format(Locale.ROOT, FORMAT, "ID", "PID", "STATE", "GEN", "KIND", "UPTIME", "REQUESTS", "IN-FLIGHT", "RSS"));
        for (WorkerHandle worker : arbiter.workers()) {
            long rss = worker.process.residentBytes();
            table.append(String.format(Locale.ROOT, FORMAT, worker.id, worker.pid(), worker.state.name().toLowerCase(Locale.ROOT),
                    worker.generation, worker.kind, worker.uptime(now).toSeconds() + "s", worker.requests, worker.inFlight,
                    rss < 0 ? "?" : (rss >> 20) + "MiB"));
        }
        return table.toString();
    }
}
