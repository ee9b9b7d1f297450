package io.warhorse.core.sessions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.warhorse.core.spi.SessionRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The redis store's one-value layout: every field reads back, the scripts' view of it, and foreign values. */
class RedisSessionValueTest {

    @Test
    void everyFieldReadsBackAndTheAttributesOnlyForAnotherVersion() {
        SessionRecord record = new SessionRecord("id1", -7_123_456_789_012L, 1_764_000_000_000L, 1_764_000_123_456L,
                1800, new byte[] {0, 0, 0, 1, 42});
        byte[] value = RedisSessionValue.of(record);
        SessionRecord read = RedisSessionValue.read("id1", value, 0);
        assertEquals(record.timesOnly(), read.timesOnly());
        assertArrayEquals(record.attributes(), read.attributes());
        assertNull(RedisSessionValue.read("id1", value, record.version()).attributes(), "the caller's copy is current");
        assertEquals(record.expiresAt(), RedisSessionValue.expires(value));
    }

    @Test
    void theExpiryIsDecimalDigitsForTheScriptsAndNeverFits() {
        SessionRecord record = new SessionRecord("id", 1, 5, 1_764_000_000_000L, 60, new byte[0]);
        byte[] value = RedisSessionValue.of(record);
        assertEquals("00000001764000060000", new String(value, 0, 20, StandardCharsets.US_ASCII));
        SessionRecord never = new SessionRecord("id", 1, 5, 1_764_000_000_000L, 0, new byte[0]);
        assertEquals(Long.MAX_VALUE, RedisSessionValue.expires(RedisSessionValue.of(never)));
        assertEquals(0, RedisSessionValue.read("id", RedisSessionValue.of(never), 0).maxInactive());
    }

    @Test
    void aTouchRewritesTheFirstBytesOnly() {
        SessionRecord before = new SessionRecord("id", 9, 5, 1_000_000L, 60, new byte[] {1, 2, 3, 4});
        SessionRecord after = new SessionRecord("id", 9, 5, 2_000_000L, 120, null);
        byte[] value = RedisSessionValue.of(before);
        byte[] times = RedisSessionValue.times(after);
        assertEquals(RedisSessionValue.TIMES, times.length);
        System.arraycopy(times, 0, value, 0, times.length); // what SETRANGE key 0 times does
        SessionRecord read = RedisSessionValue.read("id", value, 0);
        assertEquals(after.timesOnly(), read.timesOnly());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, read.attributes());
    }

    @Test
    void aValueThatIsNotOneOfTheseIsNoSession() {
        assertNull(RedisSessionValue.read("id", "hello".getBytes(StandardCharsets.US_ASCII), 0), "too short");
        byte[] value = RedisSessionValue.of(new SessionRecord("id", 1, 5, 1_000L, 60, new byte[0]));
        value[3] = 'x';
        assertEquals(-1, RedisSessionValue.expires(value));
        assertNull(RedisSessionValue.read("id", value, 0), "not digits");
        byte[] bare = Arrays.copyOf(RedisSessionValue.of(new SessionRecord("id", 1, 5, 1_000L, 60, new byte[0])),
                RedisSessionValue.HEADER);
        assertArrayEquals(new byte[] {0, 0, 0, 0}, RedisSessionValue.read("id", bare, 0).attributes(),
                "no attributes: an empty set of them");
    }
}
