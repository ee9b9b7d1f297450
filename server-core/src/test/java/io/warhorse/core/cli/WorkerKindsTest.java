package io.warhorse.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.spi.WorkerKind;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerKindsTest {

    /**
     * The kinds are registered in a services file of a class loader of its own, not in the test resources:
     * server-core's test jar is used by other modules, whose ServiceLoader must not find fake kinds.
     */
    @Test
    void findsTheKindsRegisteredForServiceLoader(@TempDir Path dir) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(WorkerKind.class.getName()),
                FakeKinds.Sync.class.getName() + "\n" + FakeKinds.Async.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            WorkerKinds kinds = WorkerKinds.load(loader);
            assertEquals(List.of("async", "sync"), List.copyOf(kinds.names()));
            assertEquals("  async  the async test kind\n  sync   the sync test kind\n", kinds.describe());
        }
    }

    @Test
    void saysSoWhenNoKindIsFound() {
        assertTrue(WorkerKinds.of(List.of()).describe().contains("none found"));
    }
}
