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
import io.warhorse.core.spi.SessionStoreException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every store promises (SessionStore's javadoc), checked on all three: memory, local, and redis against a real
 * redis-server started for this class (each test with a key prefix of its own).
 */
class SessionStoreContractTest {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;

    @TempDir
    Path runDir;

    @BeforeAll
    static void startRedis(@TempDir Path redisDir) throws Exception {
        redis = RedisServer.start(redisDir);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    private SessionStore open(String name) {
        return SessionStores.open(TestSettings.of("warhorse.sessions.store", name, "warhorse.sessions.redis.uri",
                redis.uri(), "warhorse.sessions.redis.key-prefix", "t" + PREFIXES.incrementAndGet() + ":").sessions(),
                runDir);
    }

    private static SessionRecord record(String id, long version, long accessed, int maxInactive, byte[] data) {
        return new SessionRecord(id, version, accessed - 1000, accessed, maxInactive, data);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "local", "redis"})
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
    @ValueSource(strings = {"memory", "local", "redis"})
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
    @ValueSource(strings = {"memory", "local", "redis"})
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
    @ValueSource(strings = {"memory", "local", "redis"})
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

    @ParameterizedTest
    @ValueSource(strings = {"memory", "local", "redis"})
    void aSessionIsClaimedByItsLatestExpiryAndSoonerOnceItsIntervalShrinks(String name) {
        try (SessionStore store = open(name)) {
            long now = System.currentTimeMillis();
            store.save("/app", record("used", 1, now - 1_500, 2, new byte[] {1})); // expires at now + 500 ms
            store.save("/app", record("used", 2, now + 60_000, 2, new byte[] {2})); // used since: now + 62 s
            store.save("/app", record("gone", 1, now - 1_200, 2, new byte[] {5})); // expires at now + 800 ms
            List<String> claimed = new java.util.ArrayList<>();
            for (int round = 0; round < 2; round++) { // one at a time: "used" must not hold up "gone"
                store.expire("/app", now + 1_000, 1).forEach(record -> claimed.add(record.id()));
            }
            assertEquals(List.of("gone"), claimed, "the first expiry of 'used' has passed, not its latest");
            assertEquals(List.of("used"),
                    store.expire("/app", now + 63_000, 10).stream().map(SessionRecord::id).toList());

            store.save("/app", record("shrunk", 1, now, 600, new byte[] {3}));
            store.save("/app", record("shrunk", 2, now - 5_000, 1, new byte[] {4})); // expired 4 s ago
            store.save("/app", record("shrunk", 2, now - 5_000, 1, null)); // and touched at that time
            List<SessionRecord> expired = store.expire("/app", now, 10);
            assertEquals(List.of("shrunk"), expired.stream().map(SessionRecord::id).toList());
            assertArrayEquals(new byte[] {4}, expired.getFirst().attributes());
        }
    }

    @org.junit.jupiter.api.Test
    void aRedisErrorReplyFailsItsOwnCallAndTheConnectionServesOn() {
        try (SessionStore store = open("redis");
             redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis("127.0.0.1", redis.port)) {
            jedis.hset("t" + PREFIXES.get() + ":s2:/app:bad", "v", "1"); // not a string value: GET says WRONGTYPE
            SessionStoreException e = assertThrows(SessionStoreException.class, () -> store.load("/app", "bad", 0));
            assertTrue(e.getMessage().contains("WRONGTYPE"), e.getMessage());
            long now = System.currentTimeMillis();
            store.save("/app", record("good", 5, now, 60, new byte[] {6}));
            assertArrayEquals(new byte[] {6}, store.load("/app", "good", 0).attributes());
        }
    }

    @org.junit.jupiter.api.Test
    void anUnknownStoreIsAnErrorThatListsTheStores() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> open("mongo"));
        assertEquals("unknown session store 'mongo' (sessions.store); found: local, memory, redis", e.getMessage());
    }
}
