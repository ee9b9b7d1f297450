package io.warhorse.core.sessions;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.session.Session;
import io.undertow.server.session.SessionConfig;
import io.undertow.server.session.SessionManager;
import io.warhorse.core.spi.SessionRecord;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One worker's copy of a session: its attributes as objects, the version of the stored record they match, and
 * whether a request changed them since. Requests of the session in this worker share the copy (attributes are a
 * concurrent map); the manager writes it back. Every change of state goes through {@link StoredSessionManager},
 * which fires the listeners.
 */
final class StoredSession implements Session {

    private final StoredSessionManager manager;
    private final long created;
    private final Map<String, Object> attributes;
    /**
     * Held while the copy is written back, so that one write of it runs at a time. A lock, not a monitor: a
     * request waiting for another's write parks at once instead of spinning (virtual threads unmount).
     */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile String id;
    private volatile long accessed;
    private volatile long storedAccess;
    private volatile int maxInactive;
    private volatile long version;
    /** The version of this copy's latest whole write, set before it reaches the store. */
    private volatile long writing;
    private volatile boolean dirty;
    private volatile boolean destroying;
    private volatile boolean invalid;
    /** The deployment's cookie handling, kept to clear the cookie on invalidate. */
    volatile SessionConfig config;

    StoredSession(StoredSessionManager manager, String id, long created, int maxInactive, Map<String, Object> attributes) {
        this.manager = manager;
        this.id = id;
        this.created = created;
        this.accessed = created;
        this.maxInactive = maxInactive;
        this.attributes = attributes;
    }

    static StoredSession fresh(StoredSessionManager manager, String id, long now, int maxInactive) {
        StoredSession session = new StoredSession(manager, id, now, maxInactive, new ConcurrentHashMap<>());
        session.dirty = true;
        return session;
    }

    static StoredSession of(StoredSessionManager manager, SessionRecord record, Map<String, Object> attributes) {
        StoredSession session = new StoredSession(manager, record.id(), record.created(), record.maxInactive(), attributes);
        session.accessed = record.accessed();
        session.storedAccess = record.accessed();
        session.version = record.version();
        return session;
    }

    // ---- state the manager reads and sets

    ReentrantLock lock() {
        return lock;
    }

    long version() {
        return version;
    }

    boolean dirty() {
        return dirty;
    }

    boolean invalid() {
        return invalid;
    }

    boolean destroying() {
        return destroying;
    }

    void markDirty() {
        if (!destroying) {
            dirty = true;
        }
    }

    /** Starts a write: what is written from now on is this state, and a change after it makes the copy dirty again. */
    SessionRecord snapshot(long newVersion, byte[] data) {
        return new SessionRecord(id, newVersion, created, accessed, maxInactive, data);
    }

    void clean() {
        dirty = false;
    }

    void writing(long newVersion) {
        writing = newVersion;
    }

    /**
     * Whether the stored version is this copy's own: the one it was read or last saved as, or the one of its own
     * write still on its way (another request of the session, in this worker, may load it meanwhile).
     */
    boolean holds(long storedVersion) {
        return storedVersion == version || storedVersion == writing;
    }

    void saved(long newVersion, long access) {
        version = newVersion;
        storedAccess = access;
    }

    long storedAccess() {
        return storedAccess;
    }

    void stored(SessionRecord times) {
        storedAccess = Math.max(storedAccess, times.accessed());
        maxInactive = times.maxInactive();
    }

    void access(long now) {
        accessed = now;
    }

    void rename(String newId) {
        id = newId;
    }

    void destroying(boolean value) {
        destroying = value;
    }

    void invalidated() {
        invalid = true;
    }

    Map<String, Object> copyOfAttributes() {
        return new HashMap<>(attributes);
    }

    Map<String, Object> attributes() {
        return attributes;
    }

    /** When this copy would expire if no other worker used it since. */
    long expiresAt() {
        return maxInactive <= 0 ? Long.MAX_VALUE : accessed + maxInactive * 1000L;
    }

    // ---- io.undertow.server.session.Session

    @Override
    public String getId() {
        return id;
    }

    @Override
    public void requestDone(HttpServerExchange exchange) {
        manager.requestDone(this, exchange);
    }

    @Override
    public long getCreationTime() {
        checkValid();
        return created;
    }

    @Override
    public long getLastAccessedTime() {
        checkValid();
        return accessed;
    }

    @Override
    public void setMaxInactiveInterval(int interval) {
        checkValid();
        maxInactive = interval;
        markDirty();
    }

    /** Undertow's HttpSessionImpl.isInvalid() relies on this throwing for an invalid session. */
    @Override
    public int getMaxInactiveInterval() {
        checkValid();
        return maxInactive;
    }

    @Override
    public Object getAttribute(String name) {
        checkValid();
        return attributes.get(name);
    }

    @Override
    public Set<String> getAttributeNames() {
        checkValid();
        return attributes.keySet();
    }

    @Override
    public Object setAttribute(String name, Object value) {
        if (value == null) {
            return removeAttribute(name);
        }
        checkValid();
        Object old = attributes.put(name, value);
        markDirty();
        manager.attributeSet(this, name, value, old);
        return old;
    }

    @Override
    public Object removeAttribute(String name) {
        checkValid();
        Object old = attributes.remove(name);
        if (old != null) {
            markDirty();
        }
        manager.attributeRemoved(this, name, old);
        return old;
    }

    @Override
    public void invalidate(HttpServerExchange exchange) {
        manager.invalidate(this, exchange);
    }

    @Override
    public SessionManager getSessionManager() {
        return manager;
    }

    @Override
    public String changeSessionId(HttpServerExchange exchange, SessionConfig sessionConfig) {
        return manager.changeSessionId(this, exchange, sessionConfig);
    }

    private void checkValid() {
        if (invalid) {
            throw new IllegalStateException("session " + id + " has been invalidated");
        }
    }
}
