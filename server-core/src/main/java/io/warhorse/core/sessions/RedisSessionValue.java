package io.warhorse.core.sessions;

import io.warhorse.core.spi.SessionRecord;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * How the redis store keeps a session: one string value, so that a load is one {@code GET} and a whole write one
 * {@code SET ... PXAT} (a hash took an {@code HMGET} of six fields, an {@code HSET} of twelve arguments and a
 * {@code PEXPIREAT}: twice Redis's CPU, and six replies to parse). Layout:
 * <pre>
 *  0..19  expires    epoch ms in 20 ASCII digits, zero-padded: the scripts read it with tonumber()
 * 20..27  accessed   epoch ms, a big-endian long
 * 28..31  maxInactive seconds, a big-endian int
 * 32..39  version    a big-endian long
 * 40..47  created    epoch ms, a big-endian long
 * 48..    the attributes (AttributeCodec's bytes)
 * </pre>
 * The first 32 bytes are what a touch changes: {@link RedisScripts#TOUCH} writes them with one {@code SETRANGE}.
 * Stateless; any thread.
 */
final class RedisSessionValue {

    /** Bytes before the attributes. */
    static final int HEADER = 48;
    /** Bytes a touch rewrites: expires, accessed, maxInactive. */
    static final int TIMES = 32;
    private static final int DIGITS = 20;
    private static final byte[] NO_ATTRIBUTES = {0, 0, 0, 0};

    private RedisSessionValue() {}

    /** The value of a whole write: {@code record} with its attributes. */
    static byte[] of(SessionRecord record) {
        byte[] attributes = record.attributes();
        byte[] value = new byte[HEADER + attributes.length];
        times(record, value);
        ByteBuffer.wrap(value).putLong(32, record.version()).putLong(40, record.created());
        System.arraycopy(attributes, 0, value, HEADER, attributes.length);
        return value;
    }

    /** The first {@link #TIMES} bytes of {@code record}'s value: what a touch writes. */
    static byte[] times(SessionRecord record) {
        byte[] times = new byte[TIMES];
        times(record, times);
        return times;
    }

    private static void times(SessionRecord record, byte[] into) {
        long expires = Math.max(0, record.expiresAt()); // Long.MAX_VALUE (never) has 19 digits: it fits
        for (int i = DIGITS - 1; i >= 0; i--) {
            into[i] = (byte) ('0' + expires % 10);
            expires /= 10;
        }
        ByteBuffer.wrap(into).putLong(20, record.accessed()).putInt(28, record.maxInactive());
    }

    /** When the session of {@code value} expires; -1 if the value is not one of these (too short, not digits). */
    static long expires(byte[] value) {
        if (value.length < HEADER) {
            return -1;
        }
        long expires = 0;
        for (int i = 0; i < DIGITS; i++) {
            int digit = value[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            expires = expires * 10 + digit;
        }
        return expires;
    }

    /**
     * The record {@code value} holds, its attributes left out when its version is {@code knownVersion} (the caller's
     * copy is current); null if the value is not one of these.
     */
    static SessionRecord read(String id, byte[] value, long knownVersion) {
        if (expires(value) < 0) {
            return null;
        }
        ByteBuffer fields = ByteBuffer.wrap(value);
        long version = fields.getLong(32);
        byte[] attributes = version == knownVersion ? null
                : value.length == HEADER ? NO_ATTRIBUTES.clone() : Arrays.copyOfRange(value, HEADER, value.length);
        return new SessionRecord(id, version, fields.getLong(40), fields.getLong(20), fields.getInt(28), attributes);
    }
}
