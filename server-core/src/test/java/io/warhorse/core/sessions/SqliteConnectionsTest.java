package io.warhorse.core.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers that open the local store at the same moment, on a database not created yet (the first boot of a master's
 * workers), all get their connections: switching a new file to WAL and creating the table take locks that SQLite
 * refuses at once, without its busy handler, to a second connection that tries meanwhile.
 */
class SqliteConnectionsTest {

    @Test
    void connectionsOpenedTogetherOnANewDatabaseAllSucceed(@TempDir Path dir) throws Exception {
        int openers = 8;
        try (ExecutorService threads = Executors.newFixedThreadPool(openers)) {
            for (int round = 0; round < 100; round++) {
                Path file = dir.resolve("sessions-" + round + ".db");
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Connection>> opened = new ArrayList<>();
                for (int i = 0; i < openers; i++) {
                    opened.add(threads.submit(() -> {
                        go.await();
                        return SqliteConnections.open(file, Duration.ofSeconds(5), "CREATE TABLE IF NOT EXISTS t (k TEXT)");
                    }));
                }
                go.countDown();
                for (Future<Connection> connection : opened) {
                    try (Connection open = connection.get()) { // throws what opening threw
                        assertEquals("wal", open.createStatement().executeQuery("PRAGMA journal_mode").getString(1));
                    }
                }
            }
        }
    }
}
