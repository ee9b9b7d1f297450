package io.warhorse.core.worker;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.warhorse.core.Threads;
import io.warhorse.core.config.TestSettings;
import io.warhorse.core.spi.SessionStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session store opens on a thread of its own while the worker kind starts; a store that cannot be opened gives
 * its own exception to whoever waits for it (the worker's deploy: see WorkerBootStoreTest in integration-tests).
 */
class SessionsOpeningTest {

    @Test
    void getWaitsForTheOpenStoreAndReturnsTheSameSessionsEachTime(@TempDir Path runDir) {
        SessionsOpening opening = SessionsOpening.start(TestSettings.of("warhorse.sessions.store", "local").sessions(),
                runDir, new MetricRegistry(), Threads.create());
        try {
            assertNotNull(opening.get());
            assertSame(opening.get(), opening.get());
            assertTrue(Files.exists(runDir.resolve("sessions.db")), "the local store made its database in the run folder");
        } finally {
            opening.close();
        }
    }

    @Test
    void aStoreThatCannotBeOpenedFailsGetWithItsOwnExceptionAndClosesQuietly(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("run"), "a file where the run folder should be");
        SessionsOpening opening = SessionsOpening.start(TestSettings.of("warhorse.sessions.store", "local").sessions(),
                notAFolder, new MetricRegistry(), Threads.create());
        SessionStoreException e = assertThrows(SessionStoreException.class, opening::get);
        assertTrue(e.getMessage().contains("cannot open the local session store"), e.getMessage());
        assertThrows(SessionStoreException.class, opening::get, "the same failure each time");
        opening.close(); // nothing was opened: nothing to close, and no exception
    }
}
