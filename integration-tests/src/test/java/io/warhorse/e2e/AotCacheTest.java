package io.warhorse.e2e;

import io.warhorse.it.Http;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.it.Deadline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workers' AOT cache end to end, with the real JDK: the first worker records, the master assembles the cache
 * when that worker exits (here, at the master's own graceful stop, so the assembly finishes without the master),
 * and the workers of the next start map it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AotCacheTest {

    @TempDir
    Path dir;

    @Test
    void theFirstWorkerRecordsTheCacheIsAssembledAfterItAndLaterWorkersMapIt() throws Exception {
        Path cache = dir.resolve("workers.aot");
        // this cache, not the suite's one (the environment overrides a config file)
        Map<String, String> env = Map.of("WARHORSE_WORKER_CLASS_DATA_ARCHIVE", cache.toString());
        try (Warhorse first = Warhorse.serve("aot-record", dir, 1, env, "--bind", "127.0.0.1:0",
                Warhorse.war("hello") + "=/")) {
            assertEquals(200, Http.get(first.port(), "/hello").status());
            long worker = first.workerPidsSeen().iterator().next();
            String command = String.join(" ", Warhorse.commandLine(worker));
            assertTrue(command.contains("-XX:AOTMode=record"), command);
            first.signal("TERM");
            assertEquals(0, first.awaitExit(Duration.ofSeconds(60)), first.tail(20));
        }
        try {
            Deadline.within(Duration.ofSeconds(60), () -> Files.isRegularFile(cache) && leftovers().isEmpty());
        } catch (AssertionError e) { // say what is there, and what the assembler wrote if it failed
            Path log = dir.resolve("workers.aot.log");
            throw new AssertionError(e.getMessage() + "; the folder holds " + leftovers() + (Files.isRegularFile(cache) ? " and the cache" : "")
                    + (Files.isRegularFile(log) ? "; the assembler's log:\n" + Files.readString(log) : ""), e);
        }
        assertTrue(Files.size(cache) > 1 << 20, "a cache of the worker's classes, not an empty file");

        try (Warhorse second = Warhorse.serve("aot-map", dir, 1, env, "--bind", "127.0.0.1:0",
                Warhorse.war("hello") + "=/")) {
            assertEquals(200, Http.get(second.port(), "/hello").status());
            long worker = second.workerPidsSeen().iterator().next();
            String command = String.join(" ", Warhorse.commandLine(worker));
            assertTrue(command.contains("-XX:AOTCache=" + cache), command);
            assertFalse(command.contains("AOTMode=record"), command);
            String maps = Files.readString(Path.of("/proc", Long.toString(worker), "maps"));
            assertTrue(maps.contains(cache.toString()), "the worker's JVM mapped the cache:\n" + maps.lines()
                    .filter(line -> line.contains(".aot") || line.contains(".jsa")).toList());
        }
    }

    private List<Path> leftovers() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().matches("workers\\.aot\\..+")).toList();
        }
    }
}
