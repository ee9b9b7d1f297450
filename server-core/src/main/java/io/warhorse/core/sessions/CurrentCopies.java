package io.warhorse.core.sessions;

import io.warhorse.core.spi.SessionRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which sessions this worker's copy is current of, so that the local store answers "your copy is current" without
 * a query to SQLite: for each session it last read or wrote, the version, the {@link StampBoard} counter it was
 * read or written at, and its times. A copy is current while the counter has not moved since, and its expiry has
 * not come (a touch by another worker only moves the expiry later, and moves the counter: an older expiry only
 * sends the question to SQLite).
 *
 * <p>A copy read at a counter is recorded with the counter read before the query. A copy written is recorded with
 * the counter after its own bump only if no other bump came between its read and its write: a write committed
 * after it then always bumps after it. A write that failed, or a touch of a session that is gone, drops the copy.
 * Thread-safe: the records of concurrent requests may race, but a record only ever holds a counter no later than
 * the data it describes, so a race costs a query, never a stale answer.
 */
final class CurrentCopies {

    /** Bounds the map: past it, the copies are forgotten (each costs a query once more). */
    private static final int MAX_COPIES = 100_000;

    private record Copy(long version, long stamp, SessionRecord times) {}

    private final StampBoard board;
    private final Map<String, Copy> copies = new ConcurrentHashMap<>();

    CurrentCopies(StampBoard board) {
        this.board = board;
    }

    /** The session's counter now: read it before the query whose answer {@link #read} records. */
    long stamp(String app, String id) {
        return board.stamp(app, id);
    }

    /** The session's times if this worker's copy of {@code version} is current at {@code stamp} and {@code now}; else null. */
    SessionRecord current(String app, String id, long version, long stamp, long now) {
        Copy copy = copies.get(key(app, id));
        return copy != null && copy.version == version && copy.stamp == stamp && copy.times.expiresAt() > now
                ? copy.times : null;
    }

    /** Records what a query asked after {@code stamp} was read found: the session, or null if it is gone. */
    void read(String app, String id, long stamp, SessionRecord record) {
        if (record == null) {
            copies.remove(key(app, id));
        } else {
            remember(key(app, id), new Copy(record.version(), stamp, record.timesOnly()));
        }
    }

    /** Counts a write of the session (committed, or failed: {@code stored} false) and records it if it can. */
    void written(String app, String id, SessionRecord record, boolean stored) {
        long before = board.bump(app, id);
        String key = key(app, id);
        Copy copy = copies.get(key);
        if (stored && copy != null && copy.stamp == before && (record.attributes() != null || copy.version == record.version())) {
            remember(key, new Copy(record.version(), before + 1, record.timesOnly()));
        } else {
            copies.remove(key);
        }
    }

    /** Counts the removal of the session (deleted, or expired). */
    void removed(String app, String id) {
        board.bump(app, id);
        copies.remove(key(app, id));
    }

    private void remember(String key, Copy copy) {
        if (copies.size() >= MAX_COPIES) {
            copies.clear();
        }
        copies.put(key, copy);
    }

    private static String key(String app, String id) {
        return app + '\n' + id;
    }
}
