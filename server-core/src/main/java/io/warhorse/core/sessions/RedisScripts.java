package io.warhorse.core.sessions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The Lua scripts {@link RedisStore} runs: each one atomic in Redis. KEYS[1] the session's hash, KEYS[2] the index
 * (its score: no later than the session's expiry).
 * They are loaded once per connection ({@code SCRIPT LOAD}) and then called by their SHA-1 ({@code EVALSHA}), so
 * that Redis neither receives nor hashes their text on every call.
 */
final class RedisScripts {

    /** A script's text and its SHA-1 in hex, as EVALSHA wants it. */
    record Script(byte[] text, byte[] sha) {}

    private RedisScripts() {}

    /** ARGV: a, m, e, drop-at (0: never), id. Only a session that still exists. */
    static final Script TOUCH = lua("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[1], 'a', ARGV[1], 'm', ARGV[2], 'e', ARGV[3])
            if ARGV[4] ~= '0' then redis.call('PEXPIREAT', KEYS[1], ARGV[4]) end
            redis.call('ZADD', KEYS[2], 'LT', ARGV[3], ARGV[5])
            return 1""");

    /** ARGV: id. */
    static final Script DELETE = lua("""
            redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            return 1""");

    /**
     * ARGV: id, now. Claims the session if it is still expired and nobody claimed it: returns its fields, and deletes
     * it. The index holds the earliest expiry a write gave the session (ZADD LT), so a session used since is found
     * here before it expires: its entry moves on to its expiry.
     */
    static final Script CLAIM = lua("""
            local e = redis.call('HGET', KEYS[1], 'e')
            if e and tonumber(e) > tonumber(ARGV[2]) then
              redis.call('ZADD', KEYS[2], 'XX', e, ARGV[1])
              return false
            end
            if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return false end
            if not e then return false end
            local r = redis.call('HMGET', KEYS[1], 'v', 'c', 'a', 'm', 'e', 'd')
            redis.call('DEL', KEYS[1])
            return r""");

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
