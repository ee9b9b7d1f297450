package io.warhorse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.it.Deadline;
import io.warhorse.it.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master's AOT cache, which {@code bin/warhorse} builds with the real JDK in two steps: the first serving master
 * records, the next launch assembles the cache from that recording in the background, and the launches after map it;
 * a rebuilt jar makes the cache stale. In a temporary folder of its own, not the suite's.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MasterAotCacheTest {

    @TempDir
    Path dir;

    @Test
    void theFirstMasterRecordsTheNextLaunchAssemblesAndTheLaunchesAfterMapTheCache() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Map<String, String> env = Map.of("TMPDIR", tmp.toString());

        long recorder = serveAndStop("master-aot-record", env, (command, maps) -> {
            assertTrue(command.contains("-XX:AOTMode=record"), command);
            assertTrue(command.contains("-XX:AOTConfiguration=" + tmp.resolve("warhorse-master-")), command);
        });
        List<Path> recordings = files(tmp, ".aotconf");
        assertEquals(1, recordings.size(), "one recording: " + recordings);
        assertTrue(recordings.getFirst().getFileName().toString().endsWith(".aot." + recorder + ".aotconf"), recordings.toString());
        assertTrue(Files.size(recordings.getFirst()) > 1 << 20, "the recording holds the master's classes");

        serveAndStop("master-aot-assemble", env, (command, maps) -> {
            assertFalse(command.contains("AOTMode=record"), "a master records once: " + command);
            assertFalse(command.contains("-XX:AOTCache="), "no cache yet while it is assembled: " + command);
        });
        Deadline.within(Duration.ofSeconds(60), () -> files(tmp, ".aot").size() == 1
                && files(tmp, ".aotconf").isEmpty() && files(tmp, ".partial").isEmpty() && files(tmp, ".assembling").isEmpty());
        Path cache = files(tmp, ".aot").getFirst();
        assertTrue(Files.size(cache) > 1 << 20, "a cache of the master's classes, not an empty file");
        assertTrue(files(tmp, ".log").isEmpty(), "an assembly that succeeded leaves no log: " + files(tmp, ".log"));

        serveAndStop("master-aot-map", env, (command, maps) -> {
            assertTrue(command.contains("-XX:AOTCache=" + cache), command);
            assertFalse(command.contains("AOTMode=record"), command);
            assertTrue(maps.contains(cache.toString()), "the master's JVM mapped the cache");
        });

        // a rebuilt jar keeps its name: the cache made from the old one is deleted and the next master records again
        Path jar = Warhorse.home().resolve("lib").resolve(cacheKeyJar());
        Files.setLastModifiedTime(cache, FileTime.from(Files.getLastModifiedTime(jar).toInstant().minusSeconds(60)));
        serveAndStop("master-aot-stale", env, (command, maps) -> assertTrue(command.contains("-XX:AOTMode=record"), command));
        assertFalse(Files.exists(cache), "the stale cache is gone");
    }

    /** What a test checks of a running master: its command line and its memory mappings ({@code /proc/PID/maps}). */
    interface MasterCheck {
        void check(String command, String maps) throws Exception;
    }

    /** The name of a jar of the master's class path (a file of lib/ the test only reads). */
    private static String cacheKeyJar() throws Exception {
        try (Stream<Path> files = Files.list(Warhorse.home().resolve("lib"))) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".jar")).findFirst().orElseThrow();
        }
    }

    /** Serves hello.war with one worker, checks the master, stops it; the master's pid. */
    private long serveAndStop(String name, Map<String, String> env, MasterCheck check) throws Exception {
        try (Warhorse warhorse = Warhorse.serve(name, dir, 1, env, "--bind", "127.0.0.1:0", Warhorse.war("hello") + "=/")) {
            assertEquals(200, Http.get(warhorse.port(), "/hello").status());
            long pid = warhorse.masterPid();
            check.check(String.join(" ", Warhorse.commandLine(pid)), Files.readString(Path.of("/proc", Long.toString(pid), "maps")));
            warhorse.signal("TERM");
            assertEquals(0, warhorse.awaitExit(Duration.ofSeconds(60)), warhorse.tail(20));
            return pid;
        }
    }

    private static List<Path> files(Path folder, String suffix) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().startsWith("warhorse-master-")
                    && file.getFileName().toString().endsWith(suffix)).toList();
        }
    }
}
