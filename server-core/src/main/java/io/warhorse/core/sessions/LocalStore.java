package io.warhorse.core.sessions;

import io.warhorse.core.config.Settings;
import io.warhorse.core.spi.SessionRecord;
import io.warhorse.core.spi.SessionStore;
import io.warhorse.core.spi.SessionStoreException;
import io.warhorse.core.spi.SessionStoreFactory;
import io.warhorse.core.spi.StoreContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code sessions.store = local}: one SQLite database ({@code sessions.db}, WAL mode) in the master's run folder,
 * shared by every worker of that master, outliving any of them, removed with the folder at a clean stop. SQLite
 * lets many processes read at once and one write at a time (a writer waits up to {@code local.busy-timeout}).
 * {@code synchronous=NORMAL}: a write survives the death of any process, not a power cut. Each worker holds
 * {@code local.connections} connections, handed to request threads in turn. Thread-safe.
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

    private final Path file;
    private final BlockingQueue<PooledConnection> connections;
    private final ReentrantLock writes = new ReentrantLock();

    private LocalStore(Path file, BlockingQueue<PooledConnection> connections) {
        this.file = file;
        this.connections = connections;
    }

    /** Registered in META-INF/services. */
    public static final class Factory implements SessionStoreFactory {
        @Override
        public String name() {
            return "local";
        }

        @Override
        public SessionStore open(StoreContext context) {
            return LocalStore.open(context.runDir().resolve(FILE), context.settings().local());
        }
    }

    static LocalStore open(Path file, Settings.LocalStore settings) {
        BlockingQueue<PooledConnection> pool = new ArrayBlockingQueue<>(settings.connections());
        LocalStore store = new LocalStore(file, pool);
        try {
            for (int i = 0; i < settings.connections(); i++) {
                pool.add(new PooledConnection(SqliteConnections.open(file, settings.busyTimeout(), i == 0 ? SCHEMA : null)));
            }
            return store;
        } catch (SQLException e) {
            store.close();
            throw new SessionStoreException("cannot open the local session store " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public SessionRecord load(String app, String id, long knownVersion) {
        return call(connection -> {
            PreparedStatement load = connection.get(LOAD);
            bind(load, knownVersion, app, id);
            try (ResultSet row = load.executeQuery()) {
                if (!row.next() || row.getLong(5) <= System.currentTimeMillis()) {
                    return null;
                }
                return new SessionRecord(id, row.getLong(1), row.getLong(2), row.getLong(3), row.getInt(4),
                        row.getBytes(6));
            }
        });
    }

    @Override
    public void save(String app, SessionRecord record) {
        write(connection -> {
            if (record.attributes() == null) {
                PreparedStatement touch = connection.get(TOUCH);
                bind(touch, record.accessed(), record.maxInactive(), record.expiresAt(), app, record.id());
                return touch.executeUpdate();
            }
            PreparedStatement save = connection.get(SAVE);
            bind(save, app, record.id(), record.version(), record.created(), record.accessed(), record.maxInactive(),
                    record.expiresAt(), record.attributes());
            return save.executeUpdate();
        });
    }

    @Override
    public void delete(String app, String id) {
        write(connection -> {
            PreparedStatement delete = connection.get(DELETE);
            bind(delete, app, id);
            return delete.executeUpdate();
        });
    }

    @Override
    public List<SessionRecord> expire(String app, long now, int limit) {
        return write(connection -> {
            List<SessionRecord> expired = new ArrayList<>();
            PreparedStatement expire = connection.get(EXPIRE);
            bind(expire, app, app, now, limit);
            try (ResultSet row = expire.executeQuery()) {
                while (row.next()) {
                    expired.add(new SessionRecord(row.getString(1), row.getLong(2), row.getLong(3), row.getLong(4),
                            row.getInt(5), row.getBytes(6)));
                }
            }
            return expired;
        });
    }

    private static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
    }

    private interface Query<T> {
        T run(PooledConnection connection) throws SQLException;
    }

    /**
     * Writes of this worker take turns here rather than in SQLite: its busy handler sleeps (1, 2, 5 ... 100 ms) while
     * another connection holds the write lock, which cost far more than waiting on a Java lock.
     */
    private <T> T write(Query<T> query) {
        writes.lock();
        try {
            return call(query);
        } finally {
            writes.unlock();
        }
    }

    private <T> T call(Query<T> query) {
        PooledConnection connection;
        try {
            connection = connections.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionStoreException("interrupted while waiting for the local session store", e);
        }
        try {
            return query.run(connection);
        } catch (SQLException e) {
            throw new SessionStoreException("the local session store " + file + " failed: " + e.getMessage(), e);
        } finally {
            connections.add(connection);
        }
    }

    @Override
    public void close() {
        for (PooledConnection connection; (connection = connections.poll()) != null; ) {
            SqliteConnections.closeQuietly(connection.connection);
        }
    }

    /** A connection and its statements, each prepared once; used by one thread at a time (taken from the pool). */
    private static final class PooledConnection {
        private final Connection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        PooledConnection(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement get(String sql) throws SQLException {
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            return statement;
        }
    }
}
