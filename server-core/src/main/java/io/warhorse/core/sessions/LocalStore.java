package io.warhorse.core.sessions;

import io.warhorse.core.config.Settings;
import io.warhorse.core.spi.SessionRecord;
import io.warhorse.core.spi.SessionStore;
import io.warhorse.core.spi.SessionStoreException;
import io.warhorse.core.spi.SessionStoreFactory;
import io.warhorse.core.spi.StoreContext;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code sessions.store = local}: one SQLite database ({@code sessions.db}, WAL mode) in the master's run folder,
 * shared by every worker of that master, outliving any of them, removed with the folder at a clean stop. SQLite
 * lets many processes read at once and one write at a time (a writer waits up to {@code local.busy-timeout}).
 * {@code synchronous=OFF} ({@link SqliteConnections}): a write survives the death of any process; a power cut kills
 * the master, and the database is deleted with its folder. Each worker holds one
 * connection for its writes and {@code local.connections} for its reads (a session's reads always on the same
 * one); each is a {@link SqliteLane}, which runs the queries of concurrent requests in one transaction. A load
 * whose caller holds the current version is answered without a query when the {@link StampBoard} shows no write
 * since this worker read or wrote the session ({@link CurrentCopies}): a session read by a run of requests costs
 * SQLite one query, not one per request. Thread-safe.
 */
public final class LocalStore implements SessionStore {

    static final String FILE = "sessions.db";
    private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS sessions (app TEXT NOT NULL, id TEXT NOT NULL,"
            + " version INTEGER NOT NULL, created INTEGER NOT NULL, accessed INTEGER NOT NULL,"
            + " max_inactive INTEGER NOT NULL, expires INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (app, id))"
            + " WITHOUT ROWID";
    private static final String LOAD = "SELECT version, created, accessed, max_inactive, expires,"
            + " CASE WHEN version = ? THEN NULL ELSE data END FROM sessions WHERE app = ? AND id = ?";
    private static final String SAVE = "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (app, id)"
            + " DO UPDATE SET version = excluded.version, accessed = excluded.accessed,"
            + " max_inactive = excluded.max_inactive, expires = excluded.expires, data = excluded.data";
    private static final String TOUCH = "UPDATE sessions SET accessed = ?, max_inactive = ?, expires = ?"
            + " WHERE app = ? AND id = ?";
    private static final String DELETE = "DELETE FROM sessions WHERE app = ? AND id = ?";
    private static final String EXPIRE = "DELETE FROM sessions WHERE app = ? AND id IN (SELECT id FROM sessions"
            + " WHERE app = ? AND expires <= ? LIMIT ?) RETURNING id, version, created, accessed, max_inactive, data";

    private final SqliteLane[] reads;
    private SqliteLane writes;
    private StampBoard board;
    private CurrentCopies copies;
    private final LongAdder queriedLoads = new LongAdder();

    private LocalStore(int readers) {
        this.reads = new SqliteLane[readers];
    }

    /** Registered in META-INF/services. */
    public static final class Factory implements SessionStoreFactory {
        /** The store's name in {@code sessions.store}. */
        public static final String NAME = "local";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public SessionStore open(StoreContext context) {
            return LocalStore.open(context.runDir().resolve(FILE), context.settings().local());
        }
    }

    static LocalStore open(Path file, Settings.LocalStore settings) {
        LocalStore store = new LocalStore(settings.connections());
        try {
            store.writes = new SqliteLane(SqliteConnections.open(file, settings.busyTimeout(), SCHEMA), file, true);
            for (int i = 0; i < store.reads.length; i++) {
                store.reads[i] = new SqliteLane(SqliteConnections.open(file, settings.busyTimeout(), null), file,
                        false);
            }
            store.board = StampBoard.open(file.getParent());
            store.copies = new CurrentCopies(store.board);
            return store;
        } catch (SQLException | IOException e) {
            store.close();
            throw new SessionStoreException("cannot open the local session store " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public SessionRecord load(String app, String id, long knownVersion) {
        long stamp = copies.stamp(app, id);
        long now = System.currentTimeMillis();
        SessionRecord current = copies.current(app, id, knownVersion, stamp, now);
        if (current != null) {
            return current;
        }
        SessionRecord record = query(app, id, knownVersion, now);
        copies.read(app, id, stamp, record);
        return record;
    }

    /** Loads from SQLite that have run (the others were answered from {@link CurrentCopies}). */
    long queriedLoads() {
        return queriedLoads.sum();
    }

    private SessionRecord query(String app, String id, long knownVersion, long now) {
        queriedLoads.increment();
        return reads[Math.floorMod(id.hashCode(), reads.length)].run(lane -> {
            PreparedStatement load = lane.statement(LOAD);
            load.setLong(1, knownVersion);
            load.setString(2, app);
            load.setString(3, id);
            try (ResultSet row = load.executeQuery()) {
                if (!row.next() || row.getLong(5) <= now) {
                    return null;
                }
                return new SessionRecord(id, row.getLong(1), row.getLong(2), row.getLong(3), row.getInt(4),
                        row.getBytes(6));
            }
        });
    }

    @Override
    public void save(String app, SessionRecord record) {
        boolean stored = false;
        try {
            stored = writes.run(lane -> record.attributes() == null ? touch(lane, app, record) : saveWhole(lane, app, record)) > 0;
        } finally {
            copies.written(app, record.id(), record, stored);
        }
    }

    private static int touch(SqliteLane lane, String app, SessionRecord record) throws SQLException {
        PreparedStatement touch = lane.statement(TOUCH);
        touch.setLong(1, record.accessed());
        touch.setInt(2, record.maxInactive());
        touch.setLong(3, record.expiresAt());
        touch.setString(4, app);
        touch.setString(5, record.id());
        return touch.executeUpdate();
    }

    private static int saveWhole(SqliteLane lane, String app, SessionRecord record) throws SQLException {
        PreparedStatement save = lane.statement(SAVE);
        save.setString(1, app);
        save.setString(2, record.id());
        save.setLong(3, record.version());
        save.setLong(4, record.created());
        save.setLong(5, record.accessed());
        save.setInt(6, record.maxInactive());
        save.setLong(7, record.expiresAt());
        save.setBytes(8, record.attributes());
        return save.executeUpdate();
    }

    @Override
    public void delete(String app, String id) {
        try {
            writes.run(lane -> {
                PreparedStatement delete = lane.statement(DELETE);
                delete.setString(1, app);
                delete.setString(2, id);
                return delete.executeUpdate();
            });
        } finally {
            copies.removed(app, id);
        }
    }

    @Override
    public List<SessionRecord> expire(String app, long now, int limit) {
        List<SessionRecord> expired = expired(app, now, limit);
        expired.forEach(record -> copies.removed(app, record.id()));
        return expired;
    }

    private List<SessionRecord> expired(String app, long now, int limit) {
        return writes.run(lane -> {
            List<SessionRecord> expired = new ArrayList<>();
            PreparedStatement expire = lane.statement(EXPIRE);
            expire.setString(1, app);
            expire.setString(2, app);
            expire.setLong(3, now);
            expire.setInt(4, limit);
            try (ResultSet row = expire.executeQuery()) {
                while (row.next()) {
                    expired.add(new SessionRecord(row.getString(1), row.getLong(2), row.getLong(3), row.getLong(4),
                            row.getInt(5), row.getBytes(6)));
                }
            }
            return expired;
        });
    }

    @Override
    public void close() {
        if (board != null) {
            board.close();
        }
        if (writes != null) {
            writes.close();
        }
        for (SqliteLane lane : reads) {
            if (lane != null) {
                lane.close();
            }
        }
    }
}
