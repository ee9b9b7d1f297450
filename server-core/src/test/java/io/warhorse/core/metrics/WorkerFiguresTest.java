package io.warhorse.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker's figures come from its metrics snapshot when the master has one, else from its heartbeats; a worker that
 * has just booted is in the rows from its heartbeats but not yet in the merged total, which `ctl status` once printed
 * as "total 7 requests (-1 by workers that exited)".
 */
class WorkerFiguresTest {

    @Test
    void aWorkerWithoutASnapshotIsCountedFromItsHeartbeatsAndApart() {
        // worker 1 shipped a snapshot with 7 requests; worker 2 booted since, 1 request so far by its heartbeats
        MergedMetrics.View merged = new MergedMetrics.View(Map.of("requests.total", 7L), Map.of(), Map.of(),
                Map.of(1, Map.of("requests.total", 7L)));
        List<WorkerFigures> figures = WorkerFigures.of(List.of(row(1, 5), row(2, 1)), merged);

        assertTrue(figures.get(0).fromSnapshot());
        assertEquals(7, figures.get(0).requests(), "the snapshot's count, not the heartbeat's");
        assertFalse(figures.get(1).fromSnapshot());
        assertEquals(1, figures.get(1).requests());
        assertEquals("figures from heartbeats (no metrics snapshot)", figures.get(1).note());

        long live = WorkerFigures.sumRequests(figures);
        long total = merged.counters().get("requests.total") + WorkerFigures.sumHeartbeatRequests(figures);
        assertEquals(8, live);
        assertEquals(8, total);
        assertEquals(0, total - live, "no worker exited");
    }

    private static WorkerRow row(int id, long beatRequests) {
        return new WorkerRow(id, 1000 + id, "virtual", 1, "ready", 1000, beatRequests, 0, 0, "", () -> -1);
    }
}
