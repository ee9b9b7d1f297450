package io.warhorse.core.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The redis store refuses a server too old for its commands (ZADD LT: Redis 6.2) with a clear reason. */
class RedisLaneTest {

    @Test
    void aServerOlderThan62IsNamedAndNewerOnesPass() {
        assertEquals("6.0", RedisLane.tooOld("# Server\r\nredis_version:6.0.16\r\nredis_git_sha1:0\r\n"));
        assertEquals("5.0", RedisLane.tooOld("redis_version:5.0.7\r\n"));
        assertNull(RedisLane.tooOld("# Server\r\nredis_version:6.2.0\r\n"));
        assertNull(RedisLane.tooOld("redis_version:7.0.15\r\n"));
        assertNull(RedisLane.tooOld("redis_version:10.1.0\r\n"));
        assertNull(RedisLane.tooOld("no version here\r\n"), "not told: tried");
    }
}
