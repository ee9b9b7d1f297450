package io.warhorse.core.spi;

import java.util.List;

/**
 * Where sessions live between requests, shared by every worker that opens the same store: a worker keeps a cache in
 * front of it and asks the store on every request whether its copy is still current. Records are keyed by the app
 * (its context path) and the session id. Every method may be called from any request thread at once and throws
 * {@link SessionStoreException} when the store cannot be reached; none of them retries.
 *
 * <p>Expiry belongs to the store: {@link #load} never returns a record whose {@link SessionRecord#expiresAt()} has
 * passed, and {@link #expire} hands each expired record to exactly one caller, across every worker and host, so that
 * the session's listeners run once.
 */
public interface SessionStore extends AutoCloseable {

    /**
     * The session, or null if there is none or it expired. When the stored version equals {@code knownVersion} the
     * record comes back without its attributes ({@link SessionRecord#attributes()} null): the caller's copy is current.
     */
    SessionRecord load(String app, String id, long knownVersion);

    /**
     * Writes the record, replacing any other version (the last write wins). A record without attributes only
     * refreshes the access time and expiry of a session that still exists, and never brings a deleted one back.
     */
    void save(String app, SessionRecord record);

    /** Removes the session; nothing if it does not exist. */
    void delete(String app, String id);

    /** Removes up to {@code limit} sessions of {@code app} expired at {@code now} and returns them, with attributes. */
    List<SessionRecord> expire(String app, long now, int limit);

    /** Releases connections and files; the store is not used after. */
    @Override
    void close();
}
