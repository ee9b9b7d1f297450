package io.warhorse.core.sessions;

import io.warhorse.core.spi.SessionRecord;
import io.warhorse.core.spi.SessionStore;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionEvent;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes a worker's copy of a session back to the store: the whole session when a request changed it (or it is
 * new, or {@code save = always}), its access time alone when that is older than the touch interval, nothing else.
 * Each whole write gets a fresh random version, so a copy matching the stored version is known to be current.
 * Attributes that listen for it are told before they are written ({@code sessionWillPassivate}). Runs on request
 * threads; one write per session at a time.
 */
final class SessionWriter {

    private final String app;
    private final SessionStore store;
    private final AttributeCodec codec;
    private final boolean always;
    private final long touchMillis;
    private final Function<StoredSession, HttpSession> facade;
    /**
     * Versions need only differ between writes (equal versions mean equal contents): a per-thread generator, made
     * distinct per worker by a salt from SecureRandom, as two JVMs could seed their generators alike. SecureRandom
     * itself for every write serialized the writers on /dev/urandom.
     */
    private final long salt = new SecureRandom().nextLong();

    SessionWriter(String app, SessionStore store, AttributeCodec codec, boolean always, long touchMillis,
                  Function<StoredSession, HttpSession> facade) {
        this.app = app;
        this.store = store;
        this.codec = codec;
        this.always = always;
        this.touchMillis = touchMillis;
        this.facade = facade;
    }

    /** Writes what the session needs written; a store failure leaves it dirty and throws. */
    void write(StoredSession session, boolean requestUsedIt) {
        session.lock().lock();
        try {
            if (session.invalid() || session.destroying()) {
                return;
            }
            if (session.dirty() || session.version() == 0 || (always && requestUsedIt)) {
                writeWhole(session);
            } else {
                SessionRecord touch = session.snapshot(session.version(), null);
                if (touch.accessed() - session.storedAccess() >= touchMillis) {
                    store.save(app, touch);
                    session.saved(session.version(), touch.accessed());
                }
            }
        } finally {
            session.lock().unlock();
        }
    }

    private void writeWhole(StoredSession session) {
        session.clean();
        try {
            Map<String, Object> attributes = session.copyOfAttributes();
            passivate(session, attributes);
            SessionRecord record = session.snapshot(newVersion(), codec.encode(attributes));
            session.writing(record.version());
            store.save(app, record);
            session.saved(record.version(), record.accessed());
        } catch (RuntimeException e) {
            session.markDirty();
            throw e;
        }
    }

    private void passivate(StoredSession session, Map<String, Object> attributes) {
        HttpSessionEvent event = null;
        for (Object value : attributes.values()) {
            if (value instanceof HttpSessionActivationListener listener) {
                event = event == null ? new HttpSessionEvent(facade.apply(session)) : event;
                listener.sessionWillPassivate(event);
            }
        }
    }

    /** Tells the attributes of a copy just read from the store that listen for it ({@code sessionDidActivate}). */
    void activate(StoredSession session) {
        HttpSessionEvent event = null;
        for (Object value : session.attributes().values()) {
            if (value instanceof HttpSessionActivationListener listener) {
                event = event == null ? new HttpSessionEvent(facade.apply(session)) : event;
                listener.sessionDidActivate(event);
            }
        }
    }

    private long newVersion() {
        long version;
        do {
            version = ThreadLocalRandom.current().nextLong() ^ salt;
        } while (version == 0);
        return version;
    }
}
