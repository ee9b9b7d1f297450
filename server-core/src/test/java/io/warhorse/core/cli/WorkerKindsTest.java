package io.warhorse.core.cli;

import io.warhorse.core.worker.WorkerKinds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.spi.WorkerKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    void unknownWorkerListsWhatServiceLoaderFound(@TempDir Path dir) throws Exception {
        Path services = Files.createDirectories(dir.resolve("classes/META-INF/services"));
        Files.writeString(services.resolve(WorkerKind.class.getName()),
                FakeKinds.Virtual.class.getName() + "\n" + FakeKinds.Sync.class.getName() + "\n");
        Files.writeString(dir.resolve("shop.war"), "");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("classes").toUri().toURL()}, getClass().getClassLoader())) {
            Main main = new Main(Map.of(), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                    dir, WorkerKinds.load(loader), Main.Launcher.WORKER);
            assertEquals(1, main.run(new String[] {"--worker", "bogus", "shop.war"}));
        }
        assertEquals("command line --worker: warhorse.worker.kind: unknown worker kind 'bogus'; found: sync, virtual\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void saysSoWhenNoKindIsFound() {
        assertTrue(WorkerKinds.of(List.of()).describe().contains("none found"));
    }
}
