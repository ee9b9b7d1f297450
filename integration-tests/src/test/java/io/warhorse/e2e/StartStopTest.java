package io.warhorse.e2e;

import io.warhorse.it.Http;
import io.warhorse.it.Deadline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How the real warhorse refuses to start, halts, and stops with a drain delay. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartStopTest {

    @TempDir
    Path dir;

    @Test
    void anAppThatFailsToLoadHaltsTheMasterWithExitCode4AndTheReason() throws Exception {
        Path broken = TestWars.copyWith(Warhorse.war("hello"), dir.resolve("broken.war"),
                Map.of("WEB-INF/web.xml", TestWars.MISSING_LISTENER_WEB_XML));
        try (Warhorse warhorse = Warhorse.start("halt", dir, "--workers", "1", "--bind", "127.0.0.1:0",
                "--timeout", "5s", broken.getFileName().toString())) {
            assertEquals(4, warhorse.awaitExit(Duration.ofSeconds(45)), warhorse.output());
            String output = warhorse.output();
            assertTrue(output.lines().anyMatch(line -> line.matches(
                    "warhorse worker: app /broken \\(.*broken\\.war\\): listener: class io\\.warhorse\\.e2e\\.NoSuchListener "
                            + "is not in the WAR")), "the app's one-line reason:\n" + output);
            assertTrue(output.contains("HALTING: an app failed to load in worker "), output);
            assertEquals(1, warhorse.workerPidsSeen().size(), "no respawn: " + warhorse.workerPidsSeen());
            for (long pid : warhorse.workerPidsSeen()) {
                Deadline.within(Duration.ofSeconds(20), () -> !Warhorse.isAlive(pid));
            }
        }
    }

    @Test
    void aWorkerJvmThatCannotStartHaltsTheMasterWithExitCode3InsteadOfRespawningForever() throws Exception {
        Path config = Files.writeString(dir.resolve("warhorse.conf"), "warhorse.worker.jvm-options = [\"-XX:+NoSuchOption\"]\n");
        try (Warhorse warhorse = Warhorse.start("bad-jvm", dir, "-c", config.toString(), "--workers", "2",
                "--bind", "127.0.0.1:0", Warhorse.war("hello").toString())) {
            assertEquals(3, warhorse.awaitExit(Duration.ofSeconds(30)), warhorse.output());
            String output = warhorse.output();
            assertTrue(output.contains("Unrecognized VM option 'NoSuchOption'"), output);
            assertTrue(output.contains("HALTING: the worker's JVM did not start (it exited with code 1; check "
                    + "worker.jvm-options) in worker "), output);
            assertTrue(warhorse.workerPidsSeen().size() <= 2, "no respawn loop: " + output);
        }
    }

    @Test
    void aPortInUseGivesOneClearLineAndExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String bind = "127.0.0.1:" + taken.getLocalPort();
            Path pidFile = dir.resolve("warhorse.pid");
            try (Warhorse warhorse = Warhorse.start("port-in-use", dir, "--bind", bind, "--pid", pidFile.toString(),
                    Warhorse.war("hello").toString())) {
                assertEquals(1, warhorse.awaitExit(Duration.ofSeconds(30)), warhorse.output());
                warhorse.close();
                List<String> lines = warhorse.output().lines().filter(line -> !line.isBlank()).toList();
                assertEquals(List.of("warhorse: cannot listen on " + bind + ": address already in use (another server on "
                        + "that port? pick another with --bind HOST:PORT)"), lines);
                assertTrue(warhorse.workerPidsSeen().isEmpty());
                assertFalse(Files.exists(pidFile), "no pid file when nothing runs");
            }
        }
    }

    @Test
    void workersStopByThemselvesWhenTheirMasterIsKilled() throws Exception {
        try (Warhorse warhorse = Warhorse.serve("orphans", dir, 1, "--workers", "1", "--bind", "127.0.0.1:0",
                "--timeout", "5s", "--graceful-timeout", "5s", Warhorse.war("hello") + "=/")) {
            List<Warhorse.Worker> workers = warhorse.awaitWorkers(1, Duration.ofSeconds(30));
            int from = warhorse.lineCount();
            Warhorse.kill("KILL", warhorse.masterPid());
            for (Warhorse.Worker worker : workers) {
                warhorse.awaitLine("worker " + worker.pid() + " lost its master; stopping gracefully", from, Duration.ofSeconds(10));
                warhorse.awaitLine("worker " + worker.pid() + " stopped$", from, Duration.ofSeconds(10));
                Deadline.within(Duration.ofSeconds(10), () -> !Warhorse.isAlive(worker.pid()));
            }
        }
    }

    @Test
    void intDuringAGracefulStopStopsTheDrainingWorkersAtOnce() throws Exception {
        try (Warhorse warhorse = Warhorse.serve("term-then-int", dir, 1, "--workers", "1", "--bind", "127.0.0.1:0",
                "--timeout", "5s", "--graceful-timeout", "90s", Warhorse.war("slowdb") + "=/")) {
            long worker = warhorse.awaitWorkers(1, Duration.ofSeconds(30)).getFirst().pid();
            Thread slow = Thread.ofPlatform().daemon().start(() -> {
                try {
                    Http.get(warhorse.port(), "/query?ms=60000");
                } catch (java.io.IOException expected) {
                    // cut off by the quick stop
                }
            });
            Deadline.within(Duration.ofSeconds(20), () -> warhorse.workers().getFirst().inFlight() > 0);
            int from = warhorse.lineCount();
            warhorse.signal("TERM");
            warhorse.awaitLine("stopping gracefully", from, Duration.ofSeconds(20));
            warhorse.signal("INT");
            warhorse.awaitLine("stopping now", from, Duration.ofSeconds(20));
            // The master sends the worker TERM, then INT at once: the JVM runs each signal's handler on a thread of its
            // own, so the worker may see INT first (a quick stop: "stopped (requests cut off)") or while draining.
            warhorse.awaitLine("worker " + worker + " (told to stop now while draining|stopped \\(requests cut off\\))", from,
                    Duration.ofSeconds(20));
            // Within 40 s, while the 60 s request runs and 90 s of graceful-timeout are left: INT did not wait for it.
            // (A bound, not an expectation.) A quick stop gives a worker one second and the kill grace, then KILL: a
            // worker recording the AOT cache may still be writing it then, so SIGKILL is a quick stop's end too.
            warhorse.awaitLine("worker 1 \\(pid:" + worker + ", generation 1\\) exited with code (0|137 \\(SIGKILL\\))", from,
                    Duration.ofSeconds(40));
            assertEquals(0, warhorse.awaitExit(Duration.ofSeconds(10)));
            slow.join(Duration.ofSeconds(10));
        }
    }

    @Test
    void drainDelayFlipsReadinessFirstAndKeepsServingThenStops() throws Exception {
        Duration delay = Duration.ofSeconds(5);
        try (Warhorse warhorse = Warhorse.serve("drain-delay", dir, 1, "--workers", "1", "--bind", "127.0.0.1:0",
                "--timeout", "5s", "--graceful-timeout", "5s", "--drain-delay", delay.toSeconds() + "s",
                Warhorse.war("hello") + "=/")) {
            long worker = warhorse.awaitWorkers(1, Duration.ofSeconds(30)).getFirst().pid();
            assertEquals(200, Http.get(warhorse.port(), "/-/ready").status());
            int from = warhorse.lineCount();
            long term = System.nanoTime();
            warhorse.signal("TERM");
            warhorse.awaitLine("stopping: readiness now answers 503; serving 5 s more before draining", from, Duration.ofSeconds(5));
            Deadline.within(Duration.ofSeconds(5), () -> Http.get(warhorse.port(), "/-/ready").status() == 503);
            assertEquals(200, Http.get(warhorse.port(), "/-/healthy").status(), "still alive");
            Http.Response hello = Http.get(warhorse.port(), "/whoami");
            assertEquals(200, hello.status(), "still serving during the drain delay");
            assertEquals(worker, hello.pid());
            assertTrue(warhorse.findLine("stopped listening", from).isEmpty(), "readiness flipped before the drain began");

            Warhorse.Line exited = warhorse.awaitLine("worker \\d+ \\(pid:" + worker + ", generation 1\\) exited with code 0",
                    from, Duration.ofSeconds(60));
            long exitedMillis = TimeUnit.NANOSECONDS.toMillis(exited.nanos() - term);
            assertTrue(exitedMillis >= delay.toMillis() - 100, "the worker stopped " + exitedMillis + " ms after TERM, "
                    + "before the drain delay was over");
            assertEquals(0, warhorse.awaitExit(Duration.ofSeconds(30)));
        }
    }
}
