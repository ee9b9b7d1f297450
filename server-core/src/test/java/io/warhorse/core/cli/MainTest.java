package io.warhorse.core.cli;

import io.warhorse.core.worker.WorkerKinds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.config.AppSpec;
import io.warhorse.core.config.HostPort;
import io.warhorse.core.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole command, from arguments to exit code, with a fake in place of the worker. */
class MainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> calls = new ArrayList<>();
    private Settings launched;
    private io.warhorse.core.master.MasterMain.ConfigSource reloadSource;
    private int workerResult;

    private final Main.Launcher launcher = new Main.Launcher() {
        @Override
        public int serve(io.warhorse.core.config.ConfigLoader.Loaded loaded, io.warhorse.core.master.MasterMain.ConfigSource reload) {
            calls.add("serve");
            launched = loaded.settings();
            reloadSource = reload;
            return workerResult;
        }

        @Override
        public int check(io.warhorse.core.config.ConfigLoader.Loaded loaded) {
            calls.add("check");
            launched = loaded.settings();
            return workerResult;
        }
    };

    @BeforeEach
    void shopWar() throws IOException {
        Files.writeString(dir.resolve("shop.war"), "");
    }

    private int run(Map<String, String> env, String... args) {
        return new Main(env, print(out), print(err), dir, FakeKinds.all(), launcher).run(args);
    }

    private int run(String... args) {
        return run(Map.of(), args);
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** {@code -c <(...)}: a pipe is read once, its relative paths resolve against the working directory, and HUP reuses it. */
    @Test
    void aConfigFromAPipeIsReadOnceAndKeptForReloads() throws Exception {
        Path fifo = dir.resolve("config.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                Files.writeString(fifo, "warhorse.workers = 3\nwarhorse.pid = run/w.pid\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertEquals(0, run("-c", "config.fifo", "shop.war"), err());
        writer.join(10_000);
        assertEquals(3, launched.master().workers());
        assertEquals(dir.resolve("run/w.pid"), launched.master().pidFile());
        assertEquals(3, reloadSource.load().settings().master().workers(), "a reload does not wait on the drained pipe");
    }

    @Test
    void servesTheAppsWithFlagsApplied() {
        assertEquals(0, run("--threads", "8", "-b", "0.0.0.0:9000", "--worker=sync", "shop.war=/"));
        assertEquals(List.of("serve"), calls);
        assertEquals(8, launched.threads());
        assertEquals(new HostPort("0.0.0.0", 9000), launched.bind());
        assertEquals("sync", launched.worker());
        assertEquals(List.of(new AppSpec(dir.resolve("shop.war"), "/")), launched.apps());
        assertEquals("", err());
    }

    @Test
    void returnsTheWorkersExitCode() {
        workerResult = 4;
        assertEquals(4, run("shop.war"));
    }

    @Test
    void flagsOverrideEnvironmentWhichOverridesTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("w.conf"), "warhorse { threads = 10, queue = 10, backlog = 10 }\n");
        assertEquals(0, run(Map.of("WARHORSE_QUEUE", "20", "WARHORSE_BACKLOG", "20"), "-c", file.toString(), "--backlog", "30", "shop.war"));
        assertEquals(10, launched.threads());
        assertEquals(20, launched.queue());
        assertEquals(30, launched.backlog());
    }

    @Test
    void appArgumentsReplaceTheAppsOfTheFile() throws IOException {
        Files.writeString(dir.resolve("blog.war"), "");
        Files.writeString(dir.resolve("w.conf"), "warhorse.apps = [\"blog.war\"]\n");
        assertEquals(0, run("-c", "w.conf"));
        assertEquals(List.of(new AppSpec(dir.resolve("blog.war"), "/blog")), launched.apps());
        assertEquals(0, run("-c", "w.conf", "shop.war"));
        assertEquals(List.of(new AppSpec(dir.resolve("shop.war"), "/shop")), launched.apps());
    }

    @Test
    void unknownWorkerKindListsTheKindsFound() {
        assertEquals(1, run("--worker", "bogus", "shop.war"));
        assertEquals("command line --worker: warhorse.worker.kind: unknown worker kind 'bogus'; found: async, sync, virtual\n", err());
        assertEquals(List.of(), calls);
    }

    @Test
    void badFlagValueIsAConfigurationError() {
        assertEquals(1, run("--threads", "lots", "--graceful-timeout", "soon", "shop.war"));
        assertEquals("""
                command line --threads: warhorse.threads: expected a whole number, got "lots"
                command line --graceful-timeout: warhorse.graceful-timeout: expected a duration with a unit, such as 500ms, 30s or 2m, got "soon"
                """, err());
    }

    @Test
    void aBareNumberForATimeoutFlagIsSecondsAsInGunicorn() {
        assertEquals(0, run("-t", "4", "--graceful-timeout", "2.5", "shop.war"));
        assertEquals(java.time.Duration.ofSeconds(4), launched.master().timeout());
        assertEquals(java.time.Duration.ofMillis(2500), launched.gracefulTimeout());
    }

    @Test
    void everyProblemInTheFileIsPrintedAndNothingStarts() throws IOException {
        Path file = Files.writeString(dir.resolve("w.conf"), "warhorse {\n  threads = 0\n  wrokers = 4\n}\n");
        assertEquals(1, run("-c", file.toString(), "shop.war"));
        assertEquals(List.of(
                file + ":2: warhorse.threads: must be at least 1, got 0",
                file + ":3: warhorse.wrokers: unknown setting; did you mean warhorse.workers?"), err().lines().toList());
        assertEquals(List.of(), calls);
    }

    @Test
    void missingConfigFileIsOneLine() {
        assertEquals(1, run("-c", "nope.conf", "shop.war"));
        assertEquals("warhorse: config file " + dir.resolve("nope.conf") + " does not exist\n", err());
    }

    @Test
    void unknownFlagIsAUsageError() {
        assertEquals(1, run("--treads", "4", "shop.war"));
        assertTrue(err().startsWith("warhorse: Unknown option: '--treads'"), err());
        assertTrue(err().contains("Did you mean --threads?"), err());
        assertTrue(err().endsWith("Try 'warhorse --help' for more information.\n"), err());
        assertEquals(List.of(), calls);
    }

    @Test
    void flagWithoutItsValueIsAUsageError() {
        assertEquals(1, run("shop.war", "--threads"));
        assertTrue(err().contains("--threads"), err());
        assertTrue(err().endsWith("Try 'warhorse --help' for more information.\n"), err());
    }

    @Test
    void noAppIsAUsageError() {
        assertEquals(1, run());
        assertTrue(err().startsWith("warhorse: no app to serve"), err());
        assertEquals(List.of(), calls);
    }

    @Test
    void printConfigShowsEachValueAndWhereItCameFrom() throws IOException {
        Path file = Files.writeString(dir.resolve("w.conf"), "warhorse {\n  queue = 7\n}\n");
        assertEquals(0, run(Map.of("WARHORSE_BIND", ":9000"), "-c", file.toString(), "--threads", "30", "--print-config"));
        List<String> lines = out().lines().toList();
        assertTrue(lines.contains("warhorse.threads = 30  # command line --threads"), out());
        assertTrue(lines.contains("warhorse.queue = 7  # " + file + ":2"), out());
        assertTrue(lines.contains("warhorse.bind = \":9000\"  # env WARHORSE_BIND"), out());
        assertTrue(lines.contains("warhorse.worker.kind = \"virtual\"  # reference.conf"), out());
        assertEquals(List.of(), calls);
    }

    @Test
    void checkConfigDeploysWithoutServingAndExitsZeroOrOne() {
        assertEquals(0, run("--check-config", "shop.war"));
        assertEquals(List.of("check"), calls);
        workerResult = 4;
        assertEquals(1, run("--check-config", "shop.war"));
        assertEquals(List.of("check", "check"), calls);
    }

    @Test
    void checkConfigStopsAtBadSettings() {
        assertEquals(1, run("--check-config", "--queue", "-1", "shop.war"));
        assertEquals(List.of(), calls);
    }

    @Test
    void helpListsFlagsAndWorkerKinds() {
        assertEquals(0, run("--help"));
        assertTrue(out().startsWith("Usage: warhorse [OPTIONS] APP..."), out());
        assertTrue(out().contains("--worker-connections=N"), out());
        assertTrue(out().contains("[default: 2000]"), out());
        assertTrue(out().contains("  virtual  the virtual test kind"), out());
        assertEquals(List.of(), calls);
    }

    @Test
    void versionPrintsTheVersionAndTheCommitTheBuildRecorded() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"--version"}, Map.of(), print(bytes), print(err)));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).matches("warhorse \\d+\\.\\d+\\.\\d+\\S* \\(commit ([0-9a-f]{12}|unknown)(, modified)?\\)\n"), bytes.toString(StandardCharsets.UTF_8));
        assertNull(launched);
    }
}
