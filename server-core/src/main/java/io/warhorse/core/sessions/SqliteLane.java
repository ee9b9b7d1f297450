package io.warhorse.core.sessions;

import io.warhorse.core.spi.SessionStoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One SQLite connection of the local store and the queries request threads hand it, in the batches the
 * {@link Combiner} collects. On the writing lane a batch of several is one transaction ({@code BEGIN IMMEDIATE}),
 * committed before any of its callers returns: group commit, one write lock and one WAL append for the writes of
 * many requests. A lone query, and every query of a reading lane, is a transaction of its own (SQLite's
 * autocommit), so a read sees every write committed before it was asked for. The driver is kept in manual commit
 * mode only so that it adds no transaction statements of its own; the transactions are these prepared statements.
 * Runs on the thread that holds the connection's turn; thread-safe.
 */
final class SqliteLane implements AutoCloseable {

    /** What runs on the connection, inside the batch's transaction. */
    interface Query<R> {
        R run(SqliteLane lane) throws SQLException;
    }

    private static final int MAX_BATCH = 256;

    private final Connection connection;
    private final Path file;
    private final String begin;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Combiner<Job<?>> combiner;

    /**
     * {@code writes}: whether batches of several queries are to run as one write transaction, gathered (a writing
     * request lets the others ready to run queue their writes first: under S5w, fewer transactions, each with its
     * file locks and WAL append, for more requests).
     */
    SqliteLane(Connection connection, Path file, boolean writes) throws SQLException {
        this.connection = connection;
        this.file = file;
        this.begin = writes ? "BEGIN IMMEDIATE" : null;
        this.combiner = new Combiner<>(this::runBatch, MAX_BATCH, writes);
        connection.setAutoCommit(false); // the driver begins a deferred transaction here: end it
        statement("COMMIT").execute();
    }

    /** Runs the query in the next batch and returns its result once that batch is committed. */
    <R> R run(Query<R> query) {
        return combiner.run(new Job<>(query));
    }

    /** The statement for this SQL, prepared once per connection. */
    PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    private void runBatch(List<Job<?>> batch) {
        boolean transaction = begin != null && batch.size() > 1;
        try {
            if (transaction) {
                statement(begin).execute();
            }
            for (Job<?> job : batch) {
                job.execute(this);
            }
            if (transaction) {
                statement("COMMIT").execute();
            }
        } catch (SQLException | RuntimeException e) {
            if (transaction) {
                rollbackQuietly();
            }
            throw new SessionStoreException("the local session store " + file + " failed: " + e.getMessage(), e);
        }
        for (Job<?> job : batch) {
            job.deliver();
        }
    }

    private void rollbackQuietly() {
        try {
            statement("ROLLBACK").execute();
        } catch (SQLException e) {
            // no transaction left to roll back (SQLite ended it with the error): nothing was committed
        }
    }

    @Override
    public void close() {
        SqliteConnections.closeQuietly(connection);
    }

    /** A query and its result, kept until the batch's commit succeeds. */
    static final class Job<R> extends Combiner.Job<R> {
        private final Query<R> query;
        private R value;

        Job(Query<R> query) {
            this.query = query;
        }

        void execute(SqliteLane lane) throws SQLException {
            value = query.run(lane);
        }

        void deliver() {
            complete(value);
        }
    }
}
