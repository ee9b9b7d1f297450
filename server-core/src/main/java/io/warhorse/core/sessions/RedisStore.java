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
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ZAddParams;

/**
 * {@code sessions.store = redis}: sessions in a Redis server shared by every worker of every host. A session is a
 * hash {@code PREFIX s:APP:ID} (fields v, c, a, m, e, d: version, created, accessed, max inactive, expires, data)
 * whose TTL is its expiry plus {@code redis.expiry-grace}; a sorted set {@code PREFIX x:APP} orders the ids by
 * expiry (no later than it: see {@link #save}) so that a worker can claim the expired ones. A load is one HMGET
 * and a whole write plain commands (the requests' hot path: a Lua script costs Redis several times a plain
 * command); a touch, a delete and a claim are Lua scripts, atomic in Redis, so that a touch never revives a deleted
 * session and each expired session is claimed by one worker only. Each worker holds {@code redis.connections}
 * connections ({@link RedisLane}s, a session always on the same one), each carrying the
 * commands of concurrent requests in pipelines: a request costs one command and shares its round trip. Thread-safe.
 */
public final class RedisStore implements SessionStore {

    /** ZADD LT: the index keeps a session's earliest expiry, a no-op for the usual write that moves it later. */
    private static final ZAddParams EARLIER = ZAddParams.zAddParams().lt();
    private static final byte[] V = bytes("v");
    private static final byte[] C = bytes("c");
    private static final byte[] A = bytes("a");
    private static final byte[] M = bytes("m");
    private static final byte[] E = bytes("e");
    private static final byte[] D = bytes("d");

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
        return bytes(prefix + "s:" + app + ":" + id);
    }

    private byte[] index(String app) {
        return bytes(prefix + "x:" + app);
    }

    /**
     * One HMGET, attributes included: a plain command costs Redis a fraction of a Lua script's call, and a session's
     * attributes are small next to a request (Spring Session reads them on every request too). They are handed on
     * only when the version differs from the caller's.
     */
    @Override
    public SessionRecord load(String app, String id, long knownVersion) {
        List<byte[]> fields = lane(id).run(redis -> redis.hmget(key(app, id), V, C, A, M, E, D));
        if (fields == null || fields.size() != 6 || fields.get(0) == null || fields.get(4) == null) {
            return null;
        }
        long expires = number(fields.get(4));
        if (expires <= System.currentTimeMillis()) {
            return null;
        }
        long version = number(fields.get(0));
        byte[] data = fields.get(5);
        return new SessionRecord(id, version, number(fields.get(1)), number(fields.get(2)), (int) number(fields.get(3)),
                version == knownVersion ? null : data == null ? new byte[] {0, 0, 0, 0} : data);
    }

    /**
     * A whole write is three plain commands in one pipeline (HSET of every field, the key's TTL, the expiry index),
     * cheaper for Redis than one script. They need not be atomic: the HSET alone replaces the version and the
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
            lane.run(redis -> redis.evalsha(RedisScripts.TOUCH.sha(), List.of(key, index(app)),
                    List.of(bytes(Long.toString(record.accessed())),
                    bytes(Integer.toString(record.maxInactive())), bytes(Long.toString(expires)), bytes(dropAt),
                    bytes(record.id()))));
            return;
        }
        lane.run(redis -> {
            Response<Object> fields = redis.sendCommand(Protocol.Command.HSET, key,
                    V, bytes(Long.toString(record.version())), C, bytes(Long.toString(record.created())), A, bytes(Long.toString(record.accessed())),
                    M, bytes(Integer.toString(record.maxInactive())), E, bytes(Long.toString(expires)),
                    D, record.attributes());
            Response<Long> ttl = expires == Long.MAX_VALUE ? redis.persist(key)
                    : redis.pexpireAt(key, expires + graceMillis);
            Response<Long> indexed = redis.zadd(index(app), (double) expires, bytes(record.id()), EARLIER);
            return () -> {
                fields.get();
                ttl.get();
                return indexed.get();
            };
        });
    }

    @Override
    public void delete(String app, String id) {
        lane(id).run(redis -> redis.evalsha(RedisScripts.DELETE.sha(), List.of(key(app, id), index(app)),
                List.of(bytes(id))));
    }

    @Override
    public List<SessionRecord> expire(String app, long now, int limit) {
        List<byte[]> due = lanes[0].run(redis -> redis.zrangeByScore(index(app), Double.NEGATIVE_INFINITY, now, 0,
                limit));
        List<SessionRecord> claimed = new ArrayList<>();
        for (byte[] member : due) {
            String id = new String(member, StandardCharsets.UTF_8);
            Object reply = lane(id).run(redis -> redis.evalsha(RedisScripts.CLAIM.sha(),
                    List.of(key(app, id), index(app)), List.of(member, bytes(Long.toString(now)))));
            if (reply instanceof List<?> fields && fields.size() == 6 && fields.get(5) instanceof byte[] data) {
                claimed.add(new SessionRecord(id, number(fields.get(0)), number(fields.get(1)), number(fields.get(2)),
                        (int) number(fields.get(3)), data));
            }
        }
        return claimed;
    }

    private static long number(Object field) {
        return Long.parseLong(new String((byte[]) field, StandardCharsets.US_ASCII));
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
