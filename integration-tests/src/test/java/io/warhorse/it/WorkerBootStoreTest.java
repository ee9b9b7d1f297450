package io.warhorse.it;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.warhorse.core.Threads;
import io.warhorse.core.config.Settings;
import io.warhorse.core.spi.SessionStoreException;
import io.warhorse.core.worker.WorkerKinds;
import io.warhorse.core.worker.WorkerServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker opens its session store on a thread of its own while its kind starts; a store that cannot be opened
 * must still fail the boot (issue 9): the deploy throws the store's exception before any app is deployed, which
 * the worker process turns into exit 3.
 */
class WorkerBootStoreTest {

    @Test
    void aLocalStoreThatCannotBeOpenedFailsTheDeployWithItsOwnException(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("run"), "a file where the run folder should be");
        Settings settings = Wars.settings("virtual", List.of(Wars.app("hello")), "warhorse.sessions.store", "local");
        WorkerServer server = WorkerServer.create(settings, WorkerKinds.load().get(settings.worker()), Threads.create(),
                new MetricRegistry(), notAFolder);
        try {
            SessionStoreException e = assertThrows(SessionStoreException.class, server::deploy);
            assertTrue(e.getMessage().contains("cannot open the local session store"), e.getMessage());
        } finally {
            server.stop(Duration.ZERO); // the store that never opened is not closed; the kind's threads stop
        }
    }
}
