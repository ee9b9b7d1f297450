package io.warhorse.core.sessions;

import io.warhorse.core.spi.SessionStoreException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One Redis connection of the redis store and the commands request threads hand it: each batch the
 * {@link Combiner} collects is sent as one pipeline (one write, one round trip, one read for many requests), and
 * each caller gets its own reply. The connection is opened on first use, its scripts loaded
 * ({@link RedisScripts}); a connection that fails is dropped and the next batch opens a new one, so the store
 * recovers by itself when Redis is back. Runs on the thread that holds the connection's turn; thread-safe.
 */
final class RedisLane implements AutoCloseable {

    private static final int MAX_BATCH = 256;
    private static final Pattern VERSION = Pattern.compile("(?m)^redis_version:(\\d{1,4})\\.(\\d{1,4})");

    private final URI uri;
    private final String where;
    private final int timeoutMillis;
    private final Combiner<Call<?>> combiner = new Combiner<>(this::runBatch, MAX_BATCH, true);
    private Jedis redis;

    RedisLane(URI uri, String where, int timeoutMillis) {
        this.uri = uri;
        this.where = where;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Sends {@code commands} in the next pipeline and returns what {@code reply} makes of their replies, in order (an
     * error reply is a JedisDataException in the list); a Redis failure throws SessionStoreException. The commands
     * are built by the caller, on its own thread, before it queues them.
     */
    <R> R run(List<CommandArguments> commands, Function<List<Object>, R> reply) {
        return combiner.run(new Call<>(commands, reply));
    }

    private void runBatch(List<Call<?>> batch) {
        try {
            List<Call<?>> noScript = send(connected().getConnection(), batch);
            if (!noScript.isEmpty()) { // Redis lost its scripts (SCRIPT FLUSH, a failover): load them, send again
                loadScripts(redis);
                for (Call<?> call : send(redis.getConnection(), noScript)) {
                    call.fail(failure("its scripts are missing", null));
                }
            }
        } catch (JedisException e) {
            drop();
            throw failure(e.getMessage(), e);
        }
    }

    /**
     * Writes every call's commands into the connection's buffer, then flushes them and reads all the replies in one
     * go (Connection.getMany), and completes each call with its own; returns the calls that got NOSCRIPT. No Jedis
     * Pipeline: each one builds a CommandObjects of some hundred prepared commands, a third of what a worker
     * allocated under S5w.
     */
    private List<Call<?>> send(Connection connection, List<Call<?>> calls) {
        int count = 0;
        for (Call<?> call : calls) {
            for (CommandArguments command : call.commands) {
                connection.sendCommand(command);
            }
            count += call.commands.size();
        }
        List<Object> replies = connection.getMany(count);
        List<Call<?>> noScript = new ArrayList<>(0);
        int from = 0;
        for (Call<?> call : calls) {
            List<Object> own = replies.subList(from, from + call.commands.size());
            from += call.commands.size();
            JedisDataException error = error(own);
            if (error instanceof JedisNoScriptException) {
                noScript.add(call);
            } else if (error != null) {
                call.fail(failure(error.getMessage(), error));
            } else {
                try {
                    call.deliver(own);
                } catch (RuntimeException e) { // a reply of a shape the caller did not expect: its failure only
                    call.fail(failure("unexpected reply " + own + " (" + e + ")", e));
                }
            }
        }
        return noScript;
    }

    private static JedisDataException error(List<Object> replies) {
        for (Object reply : replies) {
            if (reply instanceof JedisDataException e) {
                return e;
            }
        }
        return null;
    }

    private Jedis connected() {
        if (redis == null || redis.isBroken()) {
            drop();
            // RESP2, as Jedis speaks it; said so, Jedis logs no warning about RESP3 for every connection it opens
            Jedis fresh = new Jedis(uri, DefaultJedisClientConfig.builder().connectionTimeoutMillis(timeoutMillis)
                    .socketTimeoutMillis(timeoutMillis).autoNegotiateProtocol(false).build());
            try {
                String old = tooOld(fresh.info("server"));
                if (old != null) {
                    throw failure("it runs Redis " + old + ", and warhorse's sessions need 6.2 or newer (ZADD LT)",
                            null);
                }
                loadScripts(fresh);
            } catch (JedisException | SessionStoreException e) {
                fresh.close();
                throw e;
            }
            redis = fresh;
        }
        return redis;
    }

    /** The server's version from its INFO if it is older than 6.2, else null (also when INFO does not say). */
    static String tooOld(String info) {
        Matcher version = VERSION.matcher(info);
        if (!version.find()) {
            return null;
        }
        int major = Integer.parseInt(version.group(1));
        int minor = Integer.parseInt(version.group(2));
        return major > 6 || major == 6 && minor >= 2 ? null : major + "." + minor;
    }

    private static void loadScripts(Jedis connection) {
        for (RedisScripts.Script script : RedisScripts.ALL) {
            connection.scriptLoad(script.text());
        }
    }

    private void drop() {
        if (redis != null) {
            try {
                redis.close();
            } catch (JedisException e) {
                // broken already: nothing to release
            }
            redis = null;
        }
    }

    private SessionStoreException failure(String why, Throwable cause) {
        return new SessionStoreException("the redis session store at " + where + " failed: " + why, cause);
    }

    /** Called once the store is no longer used; a batch running meanwhile fails like an outage would. */
    @Override
    public void close() {
        drop();
    }

    /** One caller's commands and what it makes of their replies. */
    private static final class Call<R> extends Combiner.Job<R> {
        private final List<CommandArguments> commands;
        private final Function<List<Object>, R> reply;

        Call(List<CommandArguments> commands, Function<List<Object>, R> reply) {
            this.commands = commands;
            this.reply = reply;
        }

        void deliver(List<Object> replies) {
            complete(reply.apply(replies));
        }
    }
}
