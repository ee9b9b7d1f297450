package io.warhorse.core.sessions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.warhorse.core.config.TestSettings;
import io.warhorse.core.spi.SessionRecord;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local store answers "your copy is current" from the stamp board, without a query, and never misses a write:
 * two stores opened on one run folder are two workers of one master.
 */
class CurrentCopiesTest {

    @TempDir
    Path runDir;

    private LocalStore open() {
        return LocalStore.open(runDir.resolve(LocalStore.FILE), TestSettings.of("warhorse.sessions.store", "local").sessions().local());
    }

    private static SessionRecord record(String id, long version, int maxInactive, byte[] data) {
        long now = System.currentTimeMillis();
        return new SessionRecord(id, version, now - 1000, now, maxInactive, data);
    }

    @Test
    void aSessionReadOverAndOverIsQueriedOnce() {
        try (LocalStore worker = open()) {
            worker.save("/app", record("s1", 7, 60, new byte[] {1}));
            assertArrayEquals(new byte[] {1}, worker.load("/app", "s1", 0).attributes());
            long queried = worker.queriedLoads();
            for (int i = 0; i < 5; i++) {
                SessionRecord current = worker.load("/app", "s1", 7);
                assertEquals(7, current.version());
                assertNull(current.attributes());
            }
            assertEquals(queried, worker.queriedLoads(), "no write since: no query");
            worker.save("/app", record("s1", 8, 60, new byte[] {2}));
            assertEquals(8, worker.load("/app", "s1", 8).version());
            assertEquals(queried, worker.queriedLoads(), "its own write, with no other in between, is current too");
        }
    }

    @Test
    void aWriteOfAnotherWorkerIsNeverMissed() {
        try (LocalStore a = open(); LocalStore b = open()) {
            a.save("/app", record("s1", 7, 60, new byte[] {1}));
            a.load("/app", "s1", 0);
            b.load("/app", "s1", 0);
            b.save("/app", record("s1", 9, 60, new byte[] {9}));
            assertArrayEquals(new byte[] {9}, a.load("/app", "s1", 7).attributes(), "b's save");
            a.save("/app", record("s1", 10, 60, new byte[] {10}));
            assertArrayEquals(new byte[] {10}, b.load("/app", "s1", 9).attributes(), "a's save, though b wrote last itself");
            b.save("/app", record("s1", 10, 1, null));
            assertEquals(1, a.load("/app", "s1", 10).maxInactive(), "b's touch");
            b.delete("/app", "s1");
            assertNull(a.load("/app", "s1", 10), "b's delete");
            a.save("/app", record("s2", 3, 60, new byte[] {3}));
            a.load("/app", "s2", 0);
            b.save("/app", new SessionRecord("s2", 3, 0, System.currentTimeMillis() - 5000, 1, new byte[] {3}));
            assertEquals(1, b.expire("/app", System.currentTimeMillis(), 10).size());
            assertNull(a.load("/app", "s2", 3), "expired by b's scavenger");
        }
    }

    @Test
    void aCopyIsNotTrustedPastItsExpiry() {
        try (LocalStore worker = open()) {
            worker.save("/app", new SessionRecord("s1", 7, 0, System.currentTimeMillis() - 5000, 60, new byte[] {1}));
            worker.load("/app", "s1", 0);
            long queried = worker.queriedLoads();
            worker.save("/app", new SessionRecord("s1", 7, 0, System.currentTimeMillis() - 5000, 1, null));
            assertNull(worker.load("/app", "s1", 7), "expired a few seconds ago, by its own touch's max inactive");
            assertEquals(queried + 1, worker.queriedLoads());
        }
    }
}
