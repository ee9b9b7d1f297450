package io.warhorse.core.sessions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.SQLiteConfig;

/**
 * Opens SQLite connections the way the local store needs them: WAL, a busy timeout, no generated keys (the driver
 * would otherwise prepare and run a {@code SELECT last_insert_rowid()} after every upsert: under S5w, four fifths of
 * the time a write spent in the driver), and {@code synchronous = OFF}: SQLite never waits for the disk. A committed
 * write is in the operating system's cache, which outlives the death of any process; only a power cut or a crash of
 * the system could lose it, and that kills the master too, whose run folder (the database with it) the next master
 * deletes unread. With NORMAL, every WAL checkpoint (one per thousand pages written, a few times a second under
 * S5w) waited for two fsyncs while the writing request held its carrier thread.
 */
final class SqliteConnections {

    /** SQLite's primary result code for a lock held by another connection. */
    private static final int SQLITE_BUSY = 5;

    private SqliteConnections() {}

    /** {@code schema}: a statement to run once the connection is set up, or null. */
    static Connection open(Path file, Duration busyTimeout, String schema) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setGetGeneratedKeys(false);
        // straight from the driver: DriverManager would first load every JDBC driver on the class path, a
        // ServiceLoader walk of every jar, on each worker's boot
        Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        long deadline = System.nanoTime() + busyTimeout.toNanos();
        try (Statement setup = connection.createStatement()) {
            setup.execute("PRAGMA busy_timeout = " + busyTimeout.toMillis());
            setUp(setup, "PRAGMA journal_mode = WAL", deadline);
            setup.execute("PRAGMA synchronous = OFF");
            if (schema != null) {
                setUp(setup, schema, deadline);
            }
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Runs {@code sql}, again while SQLite answers SQLITE_BUSY, until {@code deadline} (nanoTime). Workers that open a
     * new database together (a master's first workers) switch it to WAL and create its table at the same moment, and
     * SQLite refuses the lock these need at once, without waiting in its busy handler: seen as a worker that failed
     * to boot ("database is locked"), which halts the master.
     */
    private static void setUp(Statement setup, String sql, long deadline) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                setup.execute(sql);
                return;
            } catch (SQLException e) {
                if ((e.getErrorCode() & 0xff) != SQLITE_BUSY || System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(Math.min(attempt, 10) * 1_000_000L); // 1, 2, ... then 10 ms apart
            }
        }
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing: nothing left to do with it
        }
    }
}
