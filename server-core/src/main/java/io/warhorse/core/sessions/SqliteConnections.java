package io.warhorse.core.sessions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.sqlite.SQLiteConfig;

/**
 * Opens SQLite connections the way the local store needs them: WAL, NORMAL sync, a busy timeout, and no generated
 * keys (the driver would otherwise prepare and run a {@code SELECT last_insert_rowid()} after every upsert: under
 * S5w, four fifths of the time a write spent in the driver).
 */
final class SqliteConnections {

    private SqliteConnections() {}

    /** {@code schema}: a statement to run once the connection is set up, or null. */
    static Connection open(Path file, Duration busyTimeout, String schema) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setGetGeneratedKeys(false);
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
        try (Statement setup = connection.createStatement()) {
            setup.execute("PRAGMA busy_timeout = " + busyTimeout.toMillis());
            setup.execute("PRAGMA journal_mode = WAL");
            setup.execute("PRAGMA synchronous = NORMAL");
            if (schema != null) {
                setup.execute(schema);
            }
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw e;
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
