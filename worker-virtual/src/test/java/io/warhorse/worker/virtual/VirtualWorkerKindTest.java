package io.warhorse.worker.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warhorse.core.config.WorkerSizing;
import org.junit.jupiter.api.Test;

/** The virtual kind's I/O threads: one per two cores of the worker's share, at least one. */
class VirtualWorkerKindTest {

    @Test
    void oneIoThreadPerTwoCoresOfTheWorkersShare() {
        VirtualWorkerKind kind = new VirtualWorkerKind();
        assertEquals(1, kind.ioThreads(new WorkerSizing(1, 1)));
        assertEquals(1, kind.ioThreads(new WorkerSizing(2, 1)));
        assertEquals(1, kind.ioThreads(new WorkerSizing(2, 2)), "two workers on two cores: one each");
        assertEquals(2, kind.ioThreads(new WorkerSizing(3, 1)), "rounded up");
        assertEquals(4, kind.ioThreads(new WorkerSizing(8, 1)));
        assertEquals(2, kind.ioThreads(new WorkerSizing(8, 2)));
    }
}
