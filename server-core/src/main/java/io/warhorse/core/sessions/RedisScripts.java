package io.warhorse.core.sessions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The Lua scripts {@link RedisStore} runs: each one atomic in Redis. KEYS[1] the session's value
 * ({@link RedisSessionValue}), KEYS[2] the index (its score: no later than the session's expiry).
 * They are loaded once per connection ({@code SCRIPT LOAD}) and then called by their SHA-1 ({@code EVALSHA}), so
 * that Redis neither receives nor hashes their text on every call.
 */
final class RedisScripts {

    /** A script's text and its SHA-1 in hex, as EVALSHA wants it. */
    record Script(byte[] text, byte[] sha) {}

    private RedisScripts() {}

    /**
     * ARGV: the value's first bytes with the new times ({@link RedisSessionValue#times}), the expiry, drop-at (0:
     * never), id. Only a session that still exists.
     */
    static final Script TOUCH = lua("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('SETRANGE', KEYS[1], 0, ARGV[1])
            if ARGV[3] ~= '0' then redis.call('PEXPIREAT', KEYS[1], ARGV[3]) else redis.call('PERSIST', KEYS[1]) end
            redis.call('ZADD', KEYS[2], 'LT', ARGV[2], ARGV[4])
            return 1""");

    /** ARGV: id. */
    static final Script DELETE = lua("""
            redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            return 1""");

    /**
     * ARGV: id, now. Claims the session if it is still expired and nobody claimed it: returns its value, and deletes
     * it. The index holds the earliest expiry a write gave the session (ZADD LT), so a session used since is found
     * here before it expires: its entry moves on to its expiry (the value's first 20 bytes, in decimal digits).
     */
    static final Script CLAIM = lua("""
            local e = redis.call('GETRANGE', KEYS[1], 0, 19)
            local expires = tonumber(e)
            if expires and expires > tonumber(ARGV[2]) then
              redis.call('ZADD', KEYS[2], 'XX', e, ARGV[1])
              return false
            end
            if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return false end
            if e == '' then return false end
            local value = redis.call('GET', KEYS[1])
            redis.call('DEL', KEYS[1])
            return value""");

    static final List<Script> ALL = List.of(TOUCH, DELETE, CLAIM);

    private static Script lua(String script) {
        byte[] text = script.getBytes(StandardCharsets.UTF_8);
        try {
            byte[] sha = MessageDigest.getInstance("SHA-1").digest(text);
            return new Script(text, HexFormat.of().formatHex(sha).getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
