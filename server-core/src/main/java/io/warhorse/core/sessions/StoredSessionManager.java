package io.warhorse.core.sessions;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.ResponseCommitListener;
import io.undertow.server.session.SecureRandomSessionIdGenerator;
import io.undertow.server.session.Session;
import io.undertow.server.session.SessionConfig;
import io.undertow.server.session.SessionIdGenerator;
import io.undertow.server.session.SessionListener;
import io.undertow.server.session.SessionListeners;
import io.undertow.server.session.SessionManager;
import io.undertow.server.session.SessionManagerStatistics;
import io.undertow.util.AttachmentKey;
import io.undertow.util.AttachmentList;
import io.warhorse.core.spi.SessionRecord;
import io.warhorse.core.spi.SessionStore;
import io.warhorse.core.spi.SessionStoreException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One app's sessions in one worker: a cache of {@link StoredSession}s in front of the shared {@link SessionStore}.
 * Every request that names a session asks the store once whether the cached copy's version is still the stored one
 * (a cache hit: no attributes travel) or reads it anew (a miss); a session the store no longer has, or that
 * expired, is gone here too. Changes are written back by {@link SessionWriter} when the request's handler chain
 * returns ({@link SessionCommitHandler}), or at the latest when Undertow ends the request ({@link #requestDone}).
 * Runs on request threads; {@link #expire} on the worker's scavenger thread.
 */
final class StoredSessionManager implements SessionManager {

    /** The sessions a request used, to write back when it ends. */
    static final AttachmentKey<AttachmentList<StoredSession>> USED = AttachmentKey.createList(StoredSession.class);
    /** Set once the app's own code (filters, servlet) runs; before it, Undertow's security handlers run. */
    static final AttachmentKey<Boolean> IN_APP = AttachmentKey.create(Boolean.class);
    private static final int MAX_ID_LENGTH = 256;

    private final String deploymentName;
    private final String app;
    private final SessionStore store;
    private final AttributeCodec codec;
    private final SessionCounters counters;
    private final LongSupplier clock;
    private final SessionListeners listeners = new SessionListeners();
    private final SessionIdGenerator ids = new SecureRandomSessionIdGenerator();
    private final Map<String, StoredSession> cache = new ConcurrentHashMap<>();
    private final ResponseCommitListener beforeCommit;
    private SessionWriter writer;
    private volatile int defaultTimeout = 30 * 60;

    StoredSessionManager(String deploymentName, String app, SessionStore store, AttributeCodec codec,
                         SessionCounters counters, LongSupplier clock) {
        this.deploymentName = deploymentName;
        this.app = app;
        this.store = store;
        this.codec = codec;
        this.counters = counters;
        this.clock = clock;
        this.beforeCommit = exchange -> SessionCommitHandler.beforeCommit(exchange, counters);
    }

    /** Set once, before the app starts: it needs the servlet context, which exists only after the manager. */
    void writer(SessionWriter sessionWriter) {
        this.writer = sessionWriter;
    }

    @Override
    public Session createSession(HttpServerExchange exchange, SessionConfig config) {
        StoredSession session = StoredSession.fresh(this, ids.createSessionId(), clock.getAsLong(), defaultTimeout);
        session.config = config;
        cache.put(session.getId(), session);
        config.setSessionId(exchange, session.getId());
        use(exchange, session);
        counters.created().inc();
        listeners.sessionCreated(session, exchange);
        return session;
    }

    @Override
    public Session getSession(HttpServerExchange exchange, SessionConfig config) {
        String id = config.findSessionId(exchange);
        if (id == null || id.length() > MAX_ID_LENGTH) {
            return null;
        }
        if (exchange != null) {
            List<StoredSession> used = exchange.getAttachment(USED);
            for (StoredSession session : used == null ? List.<StoredSession>of() : used) {
                if (session.getId().equals(id) && !session.invalid()) {
                    return session;
                }
            }
        }
        StoredSession session;
        try {
            session = find(id);
        } catch (SessionStoreException e) {
            if (exchange != null && exchange.getAttachment(IN_APP) == null) {
                // Undertow's security handlers look up the session of every request that has a cookie: a page that
                // never uses its session must not fail with the store. The app's own getSession tries again.
                return null;
            }
            throw e;
        }
        if (session != null && exchange != null) {
            session.config = config;
            session.access(clock.getAsLong());
            use(exchange, session);
        }
        return session;
    }

    /**
     * Records that the request uses {@code session}; with its first, its sessions are written before its response.
     * Not when its response is already under way, where Undertow takes no commit listener (it threw, logged as an
     * ERROR): a request dropped unanswered because its client had gone touches its session only as it ends.
     */
    private void use(HttpServerExchange exchange, StoredSession session) {
        if (exchange.getAttachment(USED) == null && exchange.isResponseChannelAvailable()) {
            exchange.addResponseCommitListener(beforeCommit);
        }
        exchange.addToAttachmentList(USED, session);
    }

    @Override
    public Session getSession(String id) {
        return id == null || id.length() > MAX_ID_LENGTH ? null : find(id);
    }

    private StoredSession find(String id) {
        StoredSession cached = cache.get(id);
        if (cached != null && cached.version() == 0 && !cached.invalid()) {
            return cached; // created by a request of this worker still running: not stored yet
        }
        SessionRecord record = store.load(app, id, cached == null ? 0 : cached.version());
        if (record == null) {
            if (cached != null) {
                cache.remove(id, cached);
            }
            return null;
        }
        if (cached != null && (record.attributes() == null || cached.holds(record.version()))) {
            counters.hits().inc();
            cached.stored(record);
            return cached;
        }
        counters.misses().inc();
        StoredSession loaded = StoredSession.of(this, record, codec.decode(record.attributes()));
        writer.activate(loaded);
        cache.put(id, loaded);
        return loaded;
    }

    /**
     * Writes back what the request changed, before its response is sent; {@code requestsWrite} for the request's
     * own write ({@code save = always} writes the session whole), false for a later one. A store failure throws.
     */
    void commit(StoredSession session, boolean requestsWrite) {
        try {
            writer.write(session, requestsWrite);
        } catch (RuntimeException e) {
            if (session.version() == 0) {
                cache.remove(session.getId(), session); // never stored: its user gets a 503 and no cookie
            }
            throw e;
        }
    }

    void requestDone(StoredSession session, HttpServerExchange exchange) {
        try {
            writer.write(session, false);
        } catch (RuntimeException e) {
            // the response is sent already: MeasuredStore counted and logged it; the next request will see the store
        }
    }

    void invalidate(StoredSession session, HttpServerExchange exchange) {
        session.lock().lock();
        try {
            if (session.invalid() || session.destroying()) {
                throw new IllegalStateException("session " + session.getId() + " is already invalidated");
            }
            session.destroying(true);
        } finally {
            session.lock().unlock();
        }
        try {
            store.delete(app, session.getId());
        } catch (RuntimeException e) {
            session.destroying(false);
            throw e;
        }
        cache.remove(session.getId(), session);
        counters.invalidated().inc();
        destroy(session, exchange, SessionListener.SessionDestroyedReason.INVALIDATED);
        if (exchange != null && session.config != null) {
            session.config.clearSession(exchange, session.getId());
        }
    }

    private void destroy(StoredSession session, HttpServerExchange exchange, SessionListener.SessionDestroyedReason why) {
        session.destroying(true);
        try {
            listeners.sessionDestroyed(session, exchange, why);
        } finally {
            session.invalidated();
        }
    }

    String changeSessionId(StoredSession session, HttpServerExchange exchange, SessionConfig config) {
        String old = session.getId();
        String fresh = ids.createSessionId();
        session.lock().lock();
        try {
            session.rename(fresh);
            session.markDirty();
            writer.write(session, true);
        } catch (RuntimeException e) {
            session.rename(old);
            throw e;
        } finally {
            session.lock().unlock();
        }
        cache.put(fresh, session);
        cache.remove(old, session);
        store.delete(app, old);
        config.setSessionId(exchange, fresh);
        // no listeners.sessionIdChanged here: HttpServletRequestImpl.changeSessionId tells the app's
        // HttpSessionIdListeners itself, and Undertow's bridge would tell them a second time
        return fresh;
    }

    /** Removes up to {@code limit} expired sessions from the store and runs their listeners; returns how many. */
    int expire(int limit) {
        long now = clock.getAsLong();
        cache.values().removeIf(session -> session.version() != 0 && session.expiresAt() < now);
        List<SessionRecord> expired = store.expire(app, now, limit);
        for (SessionRecord record : expired) {
            cache.remove(record.id());
            destroy(StoredSession.of(this, record, codec.decode(record.attributes())), null,
                    SessionListener.SessionDestroyedReason.TIMEOUT);
            counters.expired().inc();
        }
        return expired.size();
    }

    int cached() {
        return cache.size();
    }

    void attributeSet(StoredSession session, String name, Object value, Object old) {
        if (old == null) {
            listeners.attributeAdded(session, name, value);
        } else {
            listeners.attributeUpdated(session, name, value, old);
        }
    }

    void attributeRemoved(StoredSession session, String name, Object old) {
        listeners.attributeRemoved(session, name, old);
    }

    // ---- the rest of io.undertow.server.session.SessionManager

    @Override
    public String getDeploymentName() {
        return deploymentName;
    }

    @Override
    public void start() {
        // the store is the worker's, opened before any app and closed after the last
    }

    @Override
    public void stop() {
        cache.clear(); // the sessions stay in the store for the other workers and the next generation
    }

    @Override
    public void registerSessionListener(SessionListener listener) {
        listeners.addSessionListener(listener);
    }

    @Override
    public void removeSessionListener(SessionListener listener) {
        listeners.removeSessionListener(listener);
    }

    @Override
    public void setDefaultSessionTimeout(int timeout) {
        defaultTimeout = timeout;
    }

    @Override
    public Set<String> getTransientSessions() {
        return Set.of();
    }

    @Override
    public Set<String> getActiveSessions() {
        return Set.copyOf(cache.keySet());
    }

    @Override
    public Set<String> getAllSessions() {
        return Set.copyOf(cache.keySet());
    }

    @Override
    public SessionManagerStatistics getStatistics() {
        return null; // warhorse's own metrics count sessions (SessionCounters), merged across workers
    }
}
