package io.warhorse.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A worker's row with its figures taken from the same merged snapshots as the totals: requests
 * ({@code requests.total}), in flight ({@code requests.active}) and resident memory (the worker's own
 * {@code process.rss.bytes} gauge), so the rows add up to the totals at each {@code metrics.interval}. A worker
 * with no snapshot (metrics off) shows its heartbeat's counts and says so in its note. Any thread.
 */
public record WorkerFigures(WorkerRow row, long requests, long inFlight, long rssBytes, String note, boolean fromSnapshot) {

    public static List<WorkerFigures> of(List<WorkerRow> rows, MergedMetrics.View merged) {
        List<WorkerFigures> figures = new ArrayList<>(rows.size());
        for (WorkerRow row : rows) {
            Map<String, Long> counters = merged.workerCounters().get(row.id());
            Map<String, Double> gauges = merged.gauges().getOrDefault(row.id(), Map.of());
            Double rss = gauges.get(JvmMetrics.RSS);
            long rssBytes = rss != null ? rss.longValue() : row.rss().getAsLong();
            if (counters == null) {
                String note = row.state().equals("booting") ? row.note() : join(row.note(), "figures from heartbeats (no metrics snapshot)");
                figures.add(new WorkerFigures(row, row.beatRequests(), row.beatInFlight(), rssBytes, note, false));
            } else {
                figures.add(new WorkerFigures(row, counters.getOrDefault("requests.total", 0L),
                        gauges.getOrDefault("requests.active", 0.0).longValue(), rssBytes, row.note(), true));
            }
        }
        return figures;
    }

    /** The live workers' requests: the total less this is what workers that exited served. */
    public static long sumRequests(List<WorkerFigures> figures) {
        return figures.stream().mapToLong(WorkerFigures::requests).sum();
    }

    /**
     * The requests of the live workers whose figures come from their heartbeats, not yet from a snapshot (one that
     * has just booted): the merged total has not counted them, so they are added to it.
     */
    public static long sumHeartbeatRequests(List<WorkerFigures> figures) {
        return figures.stream().filter(figure -> !figure.fromSnapshot()).mapToLong(WorkerFigures::requests).sum();
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "; " + b;
    }
}
