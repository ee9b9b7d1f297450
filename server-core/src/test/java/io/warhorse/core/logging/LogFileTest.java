package io.warhorse.core.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.config.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LogFileTest {

    @TempDir
    Path dir;

    @Test
    void renamingAndReopeningWhileThreadsWriteLosesAndSplitsNoLine() throws Exception {
        Path path = dir.resolve("access.log");
        int threads = 4;
        int perThread = 20_000;
        ExecutorService writers = Executors.newFixedThreadPool(threads);
        try (LogFile file = LogFile.open(path)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        file.logMessage("thread " + thread + " line " + i + " " + "x".repeat(i % 50));
                    }
                }));
            }
            rotateFiveTimes(file, path);
            for (Future<?> writer : done) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }
        List<String> lines = linesInEveryFile();
        assertEquals(threads * perThread, lines.size());
        assertTrue(lines.stream().allMatch(line -> line.matches("thread \\d line \\d+ x*")), "every line whole");
    }

    @Test
    void linesAppendedByTheRecorderAndQueuedByRequestThreadsAllLandWholeAcrossReopens() throws Exception {
        Path path = dir.resolve("access.log");
        int lines = 50_000;
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try (LogFile file = LogFile.open(path)) {
            Future<?> recorder = writers.submit(() -> {
                for (int i = 0; i < lines; i++) {
                    file.append(("recorder line " + i + " " + "y".repeat(i % 70) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            });
            Future<?> requests = writers.submit(() -> {
                for (int i = 0; i < lines; i++) {
                    file.logMessage("request line " + i);
                }
            });
            rotateFiveTimes(file, path);
            recorder.get(60, TimeUnit.SECONDS);
            requests.get(60, TimeUnit.SECONDS);
        } finally {
            writers.shutdownNow();
        }
        List<String> all = linesInEveryFile();
        assertEquals(2 * lines, all.size());
        assertTrue(all.stream().allMatch(line -> line.matches("recorder line \\d+ y*|request line \\d+")), "every line whole");
        assertEquals(lines, all.stream().filter(line -> line.startsWith("recorder")).distinct().count());
    }

    /** logrotate's way, five times: rename the file, then have it reopened at its path. */
    private void rotateFiveTimes(LogFile file, Path path) throws IOException {
        for (int rotation = 1; rotation <= 5; rotation++) {
            Files.move(path, dir.resolve("access.log." + rotation));
            file.reopen();
        }
    }

    /** The lines of the current file and of every rotated one. */
    private List<String> linesInEveryFile() throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        return lines;
    }

    @Test
    void aLogbackFileOfTheUsersReplacesTheSetup() throws Exception {
        Path out = dir.resolve("custom.log");
        Path config = dir.resolve("logback.xml");
        Files.writeString(config, """
                <configuration>
                  <appender name="F" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>CUSTOM %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="F"/></root>
                </configuration>
                """.formatted(out));
        try {
            ErrorLog.configure(TestSettings.of("warhorse.log.config", config.toString()));
            LoggerFactory.getLogger("test").info("through the user's config");
            assertTrue(Files.readString(out).contains("CUSTOM through the user's config"));
        } finally {
            ErrorLog.configure(TestSettings.of());
        }
    }

    @Test
    void errorLogFileIsReopenedAtItsPath() throws Exception {
        Path path = dir.resolve("error.log");
        try {
            ErrorLog.configure(TestSettings.of("warhorse.log.file", path.toString()));
            LoggerFactory.getLogger("test").warn("before rotation");
            Files.move(path, dir.resolve("error.log.1"));
            ErrorLog.reopen();
            LoggerFactory.getLogger("test").warn("after rotation");
            assertTrue(Files.readString(dir.resolve("error.log.1")).contains("before rotation"));
            String current = Files.readString(path);
            assertTrue(current.contains("after rotation") && current.contains(" " + ProcessHandle.current().pid() + " "), current);
        } finally {
            ErrorLog.configure(TestSettings.of());
        }
    }
}
