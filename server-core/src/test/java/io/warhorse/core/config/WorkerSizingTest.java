package io.warhorse.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A worker's share of the cores sizes its I/O threads, carriers and async threads unless they are configured. */
class WorkerSizingTest {

    @Test
    void eachWorkerGetsItsShareOfTheCoresRoundedUp() {
        assertEquals(2, new WorkerSizing(2, 1).share());
        assertEquals(1, new WorkerSizing(2, 2).share());
        assertEquals(1, new WorkerSizing(2, 5).share(), "more workers than cores: still one each");
        assertEquals(2, new WorkerSizing(4, 3).share(), "rounded up: no core idles");
        assertEquals(8, new WorkerSizing(8, 1).share());
        assertEquals(1, new WorkerSizing(1, 1).share());
    }

    @Test
    void asyncThreadsAndCarriersFollowTheShareUnlessConfigured() {
        WorkerSizing two = new WorkerSizing(2, 2);
        assertEquals(1, two.asyncThreads(0));
        assertEquals("-Djdk.virtualThreadScheduler.parallelism=1", two.carriersOption());
        assertEquals(4, two.asyncThreads(4));
        assertEquals("-Djdk.virtualThreadScheduler.parallelism=4", new WorkerSizing(8, 2).carriersOption());
    }

    @Test
    void theWorkerCountComesFromTheSettings() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(new WorkerSizing(cores, 3), WorkerSizing.of(TestSettings.of("warhorse.workers", "3")));
        assertThrows(IllegalArgumentException.class, () -> new WorkerSizing(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new WorkerSizing(2, 0));
    }
}
