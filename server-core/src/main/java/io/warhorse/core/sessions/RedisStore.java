package io.warhorse.core.sessions;

import io.warhorse.core.config.Settings;
import io.warhorse.core.spi.SessionRecord;
import io.warhorse.core.spi.SessionStore;
import io.warhorse.core.spi.SessionStoreException;
import io.warhorse.core.spi.SessionStoreFactory;
import io.warhorse.core.spi.StoreContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;

/**
 * {@code sessions.store = redis}: sessions in a Redis server shared by every worker of every host. A session is one
 * string value {@code PREFIX s2:APP:ID} (its times, version and attributes: {@link RedisSessionValue}) whose TTL is
 * its expiry plus {@code redis.expiry-grace}; a sorted set {@code PREFIX x:APP} orders the ids by expiry (no later
 * than it: see {@link #save}) so that a worker can claim the expired ones. A load is one GET and a whole write two
 * plain commands (the requests' hot path: a Lua script costs Redis several times a plain command); a touch, a delete
 * and a claim are Lua scripts, atomic in Redis, so that a touch never revives a deleted session and each expired
 * session is claimed by one worker only. Each worker holds {@code redis.connections} connections
 * ({@link RedisLane}s, a session always on the same one), each carrying the commands of concurrent requests in
 * pipelines: a request costs one command and shares its round trip. Thread-safe.
 */
public final class RedisStore implements SessionStore {

    /** ZADD LT: the index keeps a session's earliest expiry, a no-op for the usual write that moves it later. */
    private static final byte[] LT = bytes("LT");
    private static final byte[] PXAT = bytes("PXAT");

    private final RedisLane[] lanes;
    private final String prefix;
    private final long graceMillis;

    private RedisStore(RedisLane[] lanes, String prefix, long graceMillis) {
        this.lanes = lanes;
        this.prefix = prefix;
        this.graceMillis = graceMillis;
    }

    /** Registered in META-INF/services. */
    public static final class Factory implements SessionStoreFactory {
        @Override
        public String name() {
            return "redis";
        }

        @Override
        public SessionStore open(StoreContext context) {
            return RedisStore.open(context.settings().redis());
        }
    }

    static RedisStore open(Settings.RedisStore settings) {
        URI uri = URI.create(settings.uri());
        String where = uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort(); // never the password
        RedisLane[] lanes = new RedisLane[settings.connections()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new RedisLane(uri, where, (int) settings.timeout().toMillis());
        }
        return new RedisStore(lanes, settings.keyPrefix(), settings.expiryGrace().toMillis());
    }

    private RedisLane lane(String id) {
        return lanes[Math.floorMod(id.hashCode(), lanes.length)];
    }

    private byte[] key(String app, String id) {
        return bytes(prefix + "s2:" + app + ":" + id); // s2: one value; s: was a hash, never read as one
    }

    private byte[] index(String app) {
        return bytes(prefix + "x:" + app);
    }

    /**
     * One GET, attributes included: a plain command costs Redis a fraction of a Lua script's call, and a session's
     * attributes are small next to a request (Spring Session reads them on every request too). They are handed on
     * only when the version differs from the caller's.
     */
    @Override
    public SessionRecord load(String app, String id, long knownVersion) {
        CommandArguments get = new CommandArguments(Protocol.Command.GET).add(key(app, id));
        byte[] value = lane(id).run(List.of(get), replies -> (byte[]) replies.getFirst());
        if (value == null || RedisSessionValue.expires(value) <= System.currentTimeMillis()) {
            return null;
        }
        return RedisSessionValue.read(id, value, knownVersion);
    }

    /**
     * A whole write is two plain commands in one pipeline (SET of the value with the key's expiry, the expiry index),
     * cheaper for Redis than one script. They need not be atomic: the SET alone replaces the version and the
     * attributes together, and a delete or a claim that runs between them leaves at worst an index entry that the
     * next claim drops. The index entry moves only to an earlier expiry (a shorter max inactive interval): the
     * claim moves it on when it finds the session used since ({@link RedisScripts#CLAIM}). A touch must not revive
     * a deleted session: a script.
     */
    @Override
    public void save(String app, SessionRecord record) {
        long expires = record.expiresAt();
        byte[] key = key(app, record.id());
        RedisLane lane = lane(record.id());
        if (record.attributes() == null) {
            String dropAt = expires == Long.MAX_VALUE ? "0" : Long.toString(expires + graceMillis);
            lane.run(List.of(script(RedisScripts.TOUCH, key, index(app), RedisSessionValue.times(record),
                    bytes(Long.toString(expires)), bytes(dropAt), bytes(record.id()))), replies -> null);
            return;
        }
        CommandArguments set = new CommandArguments(Protocol.Command.SET).add(key).add(RedisSessionValue.of(record));
        if (expires != Long.MAX_VALUE) { // a SET without an expiry also clears the one the key had
            set.add(PXAT).add(expires + graceMillis);
        }
        CommandArguments indexed = new CommandArguments(Protocol.Command.ZADD).add(index(app)).add(LT).add(expires)
                .add(bytes(record.id()));
        lane.run(List.of(set, indexed), replies -> null);
    }

    @Override
    public void delete(String app, String id) {
        lane(id).run(List.of(script(RedisScripts.DELETE, key(app, id), index(app), bytes(id))), replies -> null);
    }

    @Override
    public List<SessionRecord> expire(String app, long now, int limit) {
        CommandArguments range = new CommandArguments(Protocol.Command.ZRANGEBYSCORE).add(index(app)).add("-inf")
                .add(now).add(Protocol.Keyword.LIMIT).add(0).add(limit);
        List<?> due = lanes[0].run(List.of(range), replies -> (List<?>) replies.getFirst());
        List<SessionRecord> claimed = new ArrayList<>();
        for (Object member : due) {
            String id = new String((byte[]) member, StandardCharsets.UTF_8);
            Object value = lane(id).run(List.of(script(RedisScripts.CLAIM, key(app, id), index(app), (byte[]) member,
                    bytes(Long.toString(now)))), List::getFirst);
            SessionRecord record = value instanceof byte[] bytes ? RedisSessionValue.read(id, bytes, 0) : null;
            if (record != null) {
                claimed.add(record);
            }
        }
        return claimed;
    }

    /** EVALSHA of {@code script} on the session's key and the index, with {@code args}. */
    private static CommandArguments script(RedisScripts.Script script, byte[] key, byte[] index, byte[]... args) {
        CommandArguments call = new CommandArguments(Protocol.Command.EVALSHA).add(script.sha()).add(2).add(key)
                .add(index);
        for (byte[] arg : args) {
            call.add(arg);
        }
        return call;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        for (RedisLane lane : lanes) {
            lane.close();
        }
    }
}
