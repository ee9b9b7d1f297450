package io.warhorse.core.master;

import io.warhorse.core.config.Settings;
import java.util.Collection;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a worker is due for a replacement: {@code max-requests} (plus its jitter, drawn once per worker, so workers
 * started together are not all recycled together), {@code max-worker-uptime} and {@code max-worker-memory}.
 * Stateless; called on the arbiter's thread.
 */
final class Recycling {

    /** A ready worker that is due, and why. */
    record Due(WorkerHandle worker, String reason) {}

    private Recycling() {}

    /** The request count after which a new worker is recycled; {@code Long.MAX_VALUE} when max-requests is off. */
    static long maxRequests(Settings.Master master) {
        if (master.maxRequests() <= 0) {
            return Long.MAX_VALUE;
        }
        int jitter = master.maxRequestsJitter();
        return master.maxRequests() + (jitter > 0 ? ThreadLocalRandom.current().nextInt(jitter + 1) : 0);
    }

    /** The first ready worker that is due, or null. */
    static Due firstDue(Collection<WorkerHandle> workers, Settings.Master master, long nowNanos) {
        for (WorkerHandle worker : workers) {
            String reason = worker.state == WorkerHandle.State.READY ? reason(worker, master, nowNanos) : null;
            if (reason != null) {
                return new Due(worker, reason);
            }
        }
        return null;
    }

    private static String reason(WorkerHandle worker, Settings.Master master, long now) {
        if (worker.requests >= worker.maxRequests) {
            return "served " + worker.requests + " requests (max-requests)";
        }
        if (!master.maxWorkerUptime().isZero() && worker.uptime(now).compareTo(master.maxWorkerUptime()) >= 0) {
            return "up for " + worker.uptime(now).toSeconds() + " s (max-worker-uptime)";
        }
        if (master.maxWorkerMemory() > 0) {
            long rss = worker.process.residentBytes();
            if (rss > master.maxWorkerMemory()) {
                return "resident memory " + (rss >> 20) + " MiB (max-worker-memory " + (master.maxWorkerMemory() >> 20) + " MiB)";
            }
        }
        return null;
    }
}
