package io.warhorse.core.sessions;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.warhorse.core.metrics.LatencyHistogram;
import io.warhorse.core.spi.SessionRecord;
import io.warhorse.core.spi.SessionStore;
import io.warhorse.core.spi.SessionStoreException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store with its latency timed ({@code sessions.store.latency}) and its failures counted
 * ({@code sessions.store.errors}) and logged: the first failure of an outage at once, then at most one line every
 * 10 s, and one line when the store answers again. Called from request threads and the scavenger; thread-safe.
 */
final class MeasuredStore implements SessionStore {

    static final String LATENCY = "sessions.store.latency";
    private static final Logger LOG = LoggerFactory.getLogger(MeasuredStore.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final SessionStore store;
    private final String name;
    private final LatencyHistogram latency;
    private final Counter errors;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final AtomicLong unlogged = new AtomicLong();

    MeasuredStore(SessionStore store, String name, MetricRegistry metrics) {
        this.store = store;
        this.name = name;
        this.latency = metrics.register(LATENCY, new LatencyHistogram());
        this.errors = metrics.counter("sessions.store.errors");
    }

    @Override
    public SessionRecord load(String app, String id, long knownVersion) {
        return timed(() -> store.load(app, id, knownVersion));
    }

    @Override
    public void save(String app, SessionRecord record) {
        timed(() -> {
            store.save(app, record);
            return null;
        });
    }

    @Override
    public void delete(String app, String id) {
        timed(() -> {
            store.delete(app, id);
            return null;
        });
    }

    @Override
    public List<SessionRecord> expire(String app, long now, int limit) {
        return timed(() -> store.expire(app, now, limit));
    }

    private <T> T timed(Supplier<T> call) {
        long began = System.nanoTime();
        try {
            T result = call.get();
            latency.record(System.nanoTime() - began);
            if (down.compareAndSet(true, false)) {
                LOG.warn("SESSION STORE BACK (pid {}): the {} session store answers again; sessions are served",
                        ProcessHandle.current().pid(), name);
            }
            return result;
        } catch (SessionStoreException e) {
            failed(e);
            throw e;
        } catch (RuntimeException e) {
            SessionStoreException wrapped = new SessionStoreException("the " + name + " session store failed: " + e, e);
            failed(wrapped);
            throw wrapped;
        }
    }

    private void failed(SessionStoreException e) {
        errors.inc();
        down.set(true);
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            LOG.error("SESSION STORE DOWN (pid {}): {} ({} more failures since the last line); requests that use a "
                    + "session get 503 until it answers, others are served; check the store (sessions.store = {})",
                    ProcessHandle.current().pid(), e.getMessage(), unlogged.getAndSet(0), name);
        } else {
            unlogged.incrementAndGet();
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
