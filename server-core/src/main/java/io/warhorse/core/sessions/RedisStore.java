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

/**
 * {@code sessions.store = redis}: sessions in a Redis server shared by every worker of every host. A session is a
 * hash {@code PREFIX s:APP:ID} (fields v, c, a, m, e, d: version, created, accessed, max inactive, expires, data)
 * whose TTL is its expiry plus {@code redis.expiry-grace}; a sorted set {@code PREFIX x:APP} orders the ids by
 * expiry so that a worker can claim the expired ones. Every operation is one Lua script, atomic in Redis, so a
 * touch never revives a deleted session and each expired session is claimed by one worker only. Each worker holds
 * {@code redis.connections} connections ({@link RedisLane}s, a session always on the same one), each carrying the
 * commands of concurrent requests in pipelines: a request costs one command and shares its round trip. Thread-safe.
 */
public final class RedisStore implements SessionStore {

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

    @Override
    public SessionRecord load(String app, String id, long knownVersion) {
        Object reply = lane(id).run(redis -> redis.evalsha(RedisScripts.LOAD.sha(), List.of(key(app, id)),
                List.of(bytes(Long.toString(knownVersion)))));
        if (!(reply instanceof List<?> fields) || fields.isEmpty() || fields.getFirst() == null) {
            return null;
        }
        long expires = number(fields.get(4));
        if (expires <= System.currentTimeMillis()) {
            return null;
        }
        long version = number(fields.get(0));
        byte[] data = fields.size() > 5 && fields.get(5) instanceof byte[] d ? d : null;
        return new SessionRecord(id, version, number(fields.get(1)), number(fields.get(2)), (int) number(fields.get(3)),
                version == knownVersion ? null : data == null ? new byte[] {0, 0, 0, 0} : data);
    }

    @Override
    public void save(String app, SessionRecord record) {
        long expires = record.expiresAt();
        String dropAt = expires == Long.MAX_VALUE ? "0" : Long.toString(expires + graceMillis);
        List<byte[]> keys = List.of(key(app, record.id()), index(app));
        RedisLane lane = lane(record.id());
        if (record.attributes() == null) {
            lane.run(redis -> redis.evalsha(RedisScripts.TOUCH.sha(), keys,
                    List.of(bytes(Long.toString(record.accessed())),
                    bytes(Integer.toString(record.maxInactive())), bytes(Long.toString(expires)), bytes(dropAt),
                    bytes(record.id()))));
        } else {
            lane.run(redis -> redis.evalsha(RedisScripts.SAVE.sha(), keys,
                    List.of(bytes(Long.toString(record.version())),
                    bytes(Long.toString(record.created())), bytes(Long.toString(record.accessed())),
                    bytes(Integer.toString(record.maxInactive())), bytes(Long.toString(expires)), record.attributes(),
                    bytes(dropAt), bytes(record.id()))));
        }
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
