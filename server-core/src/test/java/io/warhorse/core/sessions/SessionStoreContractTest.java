package io.warhorse.core.sessions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.config.TestSettings;
import io.warhorse.core.spi.SessionRecord;
import io.warhorse.core.spi.SessionStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every store promises (SessionStore's javadoc), checked on the stores that need no server: memory and local. */
class SessionStoreContractTest {

    @TempDir
    Path runDir;

    private SessionStore open(String name) {
        return SessionStores.open(TestSettings.of("warhorse.sessions.store", name).sessions(), runDir);
    }

    private static SessionRecord record(String id, long version, long accessed, int maxInactive, byte[] data) {
        return new SessionRecord(id, version, accessed - 1000, accessed, maxInactive, data);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "local"})
    void aCurrentCopyIsToldSoWithoutItsAttributes(String name) {
        try (SessionStore store = open(name)) {
            long now = System.currentTimeMillis();
            assertNull(store.load("/app", "s1", 0));
            store.save("/app", record("s1", 7, now, 60, new byte[] {1, 2, 3}));
            assertArrayEquals(new byte[] {1, 2, 3}, store.load("/app", "s1", 0).attributes());
            SessionRecord same = store.load("/app", "s1", 7);
            assertEquals(7, same.version());
            assertNull(same.attributes(), "the caller's version is current: no attributes travel");
            store.save("/app", record("s1", 9, now, 60, new byte[] {4}));
            assertArrayEquals(new byte[] {4}, store.load("/app", "s1", 7).attributes(), "a newer write is read anew");
            assertNull(store.load("/other", "s1", 0), "apps do not see each other's sessions");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "local"})
    void aTouchRefreshesTheExpiryButNeverRevivesADeletedSession(String name) {
        try (SessionStore store = open(name)) {
            long now = System.currentTimeMillis();
            store.save("/app", record("s1", 7, now - 50_000, 60, new byte[] {1}));
            store.save("/app", record("s1", 7, now, 60, null));
            assertEquals(now, store.load("/app", "s1", 7).accessed());
            store.delete("/app", "s1");
            store.save("/app", record("s1", 7, now, 60, null));
            assertNull(store.load("/app", "s1", 0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "local"})
    void anExpiredSessionIsNeverLoadedAndIsClaimedOnce(String name) {
        try (SessionStore store = open(name)) {
            long now = System.currentTimeMillis();
            store.save("/app", record("old", 1, now - 5_000, 2, new byte[] {9}));
            store.save("/app", record("live", 2, now, 60, new byte[] {8}));
            store.save("/app", record("forever", 3, now - 999_000_000, 0, new byte[] {7}));
            assertNull(store.load("/app", "old", 0), "expired: gone even before the scavenger ran");
            List<SessionRecord> expired = store.expire("/app", now, 10);
            assertEquals(1, expired.size());
            assertEquals("old", expired.getFirst().id());
            assertArrayEquals(new byte[] {9}, expired.getFirst().attributes(), "its attributes, for the listeners");
            assertTrue(store.expire("/app", now, 10).isEmpty(), "claimed once");
            assertNotNull(store.load("/app", "live", 0));
            assertNotNull(store.load("/app", "forever", 0), "max inactive 0: never expires");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "local"})
    void concurrentWritersEachReadTheirOwnWriteBack(String name) throws Exception {
        try (SessionStore store = open(name);
             var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            long now = System.currentTimeMillis();
            List<java.util.concurrent.Future<String>> checks = new java.util.ArrayList<>();
            for (int t = 0; t < 16; t++) {
                String id = "c" + t;
                checks.add(pool.submit(() -> {
                    for (long version = 1; version <= 40; version++) {
                        store.save("/app", record(id, version, now, 60, new byte[] {(byte) version}));
                        SessionRecord read = store.load("/app", id, version - 1);
                        if (read == null || read.version() != version || read.attributes()[0] != (byte) version) {
                            return id + " read back " + read + " after writing version " + version;
                        }
                        if (store.load("/app", id, version).attributes() != null) {
                            return id + ": its current version came back with attributes";
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<String> check : checks) {
                assertNull(check.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void anUnknownStoreIsAnErrorThatListsTheStores() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> open("mongo"));
        assertEquals("unknown session store 'mongo' (sessions.store); found: local, memory, redis", e.getMessage());
    }
}
