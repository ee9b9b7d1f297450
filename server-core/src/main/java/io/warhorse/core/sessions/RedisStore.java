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
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisException;

/**
 * {@code sessions.store = redis}: sessions in a Redis server shared by every worker of every host. A session is a
 * hash {@code PREFIX s:APP:ID} (fields v, c, a, m, e, d: version, created, accessed, max inactive, expires, data)
 * whose TTL is its expiry plus {@code redis.expiry-grace}; a sorted set {@code PREFIX x:APP} orders the ids by
 * expiry so that a worker can claim the expired ones. Every operation is one Lua script, atomic in Redis, so a
 * touch never revives a deleted session and each expired session is claimed by one worker only. Thread-safe (a
 * Jedis connection pool).
 */
public final class RedisStore implements SessionStore {

    private final JedisPool pool;
    private final String where;
    private final String prefix;
    private final long graceMillis;

    private RedisStore(JedisPool pool, String where, String prefix, long graceMillis) {
        this.pool = pool;
        this.where = where;
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
        GenericObjectPoolConfig<Jedis> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(settings.connections());
        config.setMaxIdle(settings.connections());
        config.setMaxWait(settings.timeout());
        config.setJmxEnabled(false);
        int timeout = (int) settings.timeout().toMillis();
        return new RedisStore(new JedisPool(config, uri, timeout, timeout), where, settings.keyPrefix(),
                settings.expiryGrace().toMillis());
    }

    private byte[] key(String app, String id) {
        return bytes(prefix + "s:" + app + ":" + id);
    }

    private byte[] index(String app) {
        return bytes(prefix + "x:" + app);
    }

    @Override
    public SessionRecord load(String app, String id, long knownVersion) {
        Object reply = call(redis -> redis.eval(RedisScripts.LOAD, List.of(key(app, id)),
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
        if (record.attributes() == null) {
            call(redis -> redis.eval(RedisScripts.TOUCH, keys, List.of(bytes(Long.toString(record.accessed())),
                    bytes(Integer.toString(record.maxInactive())), bytes(Long.toString(expires)), bytes(dropAt),
                    bytes(record.id()))));
        } else {
            call(redis -> redis.eval(RedisScripts.SAVE, keys, List.of(bytes(Long.toString(record.version())),
                    bytes(Long.toString(record.created())), bytes(Long.toString(record.accessed())),
                    bytes(Integer.toString(record.maxInactive())), bytes(Long.toString(expires)), record.attributes(),
                    bytes(dropAt), bytes(record.id()))));
        }
    }

    @Override
    public void delete(String app, String id) {
        call(redis -> redis.eval(RedisScripts.DELETE, List.of(key(app, id), index(app)), List.of(bytes(id))));
    }

    @Override
    public List<SessionRecord> expire(String app, long now, int limit) {
        List<byte[]> due = call(redis -> redis.zrangeByScore(index(app), Double.NEGATIVE_INFINITY, now, 0, limit));
        List<SessionRecord> claimed = new ArrayList<>();
        for (byte[] member : due) {
            String id = new String(member, StandardCharsets.UTF_8);
            Object reply = call(redis -> redis.eval(RedisScripts.CLAIM, List.of(key(app, id), index(app)),
                    List.of(member, bytes(Long.toString(now)))));
            if (reply instanceof List<?> fields && fields.size() == 6 && fields.get(5) instanceof byte[] data) {
                claimed.add(new SessionRecord(id, number(fields.get(0)), number(fields.get(1)), number(fields.get(2)),
                        (int) number(fields.get(3)), data));
            }
        }
        return claimed;
    }

    private <T> T call(Function<Jedis, T> command) {
        try (Jedis redis = pool.getResource()) {
            return command.apply(redis);
        } catch (JedisException e) {
            throw new SessionStoreException("the redis session store at " + where + " failed: " + e.getMessage(), e);
        }
    }

    private static long number(Object field) {
        return Long.parseLong(new String((byte[]) field, StandardCharsets.US_ASCII));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        pool.close();
    }
}
