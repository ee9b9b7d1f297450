package io.warhorse.e2e;

import io.warhorse.it.Http;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HUP on a real master serving {@code app.war}, a copy of hello.war with a {@code version.txt}: a good new WAR
 * replaces every worker under load without losing a request; then a new "WAR" that is not one leaves the workers
 * of the last good generation serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ReloadTest {

    @TempDir
    static Path dir;
    private Path app;
    private Warhorse warhorse;

    @BeforeAll
    void start() throws Exception {
        app = TestWars.copyWith(Warhorse.war("hello"), dir.resolve("app.war"), Map.of("version.txt", "v1\n"));
        warhorse = Warhorse.serve("reload", dir, 2, "--workers", "2", "--bind", "127.0.0.1:0", "--timeout", "5s",
                "--graceful-timeout", "5s", "app.war=/");
    }

    @AfterAll
    void stop() {
        if (warhorse != null) {
            warhorse.close();
        }
    }

    @Test
    @Order(1)
    void hupUnderLoadLosesNoRequestAndThenServesTheNewWar() throws Exception {
        Set<Long> old = pids(warhorse.awaitWorkers(2, Duration.ofSeconds(30)));
        assertEquals("v1\n", Http.get(warhorse.port(), "/version.txt").body());
        try (Load load = Load.start(warhorse.port(), "/whoami", 4)) {
            load.awaitMore(200, Duration.ofSeconds(20));
            TestWars.copyWith(Warhorse.war("hello"), app, Map.of("version.txt", "v2\n"));
            int from = warhorse.lineCount();
            long hup = System.nanoTime();
            warhorse.signal("HUP");
            warhorse.awaitLine("reloading: generation 2, replacing 2 worker\\(s\\) one at a time", from, Duration.ofSeconds(10));
            warhorse.awaitLine("reload complete: generation 2 serving", from, Duration.ofSeconds(40));
            long reloadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - hup);
            for (long pid : old) {
                warhorse.awaitLine("worker \\d+ \\(pid:" + pid + ", generation 1\\) exited with code 0", from, Duration.ofSeconds(60));
            }
            List<Warhorse.Worker> now = warhorse.awaitWorkers(2, Duration.ofSeconds(10));
            assertTrue(now.stream().allMatch(worker -> worker.generation() == 2), "every worker is of generation 2: " + now);
            load.awaitMore(200, Duration.ofSeconds(20));
            List<Load.Result> results = load.stop();

            assertEquals(List.of(), Load.failures(results), "HUP under load lost requests");
            Set<Long> servedAfter = results.subList(results.size() - 100, results.size()).stream()
                    .map(Load.Result::pid).collect(Collectors.toSet());
            assertTrue(pids(now).containsAll(servedAfter), "only the new workers " + pids(now) + " serve once the old "
                    + "ones exited: " + servedAfter);
            System.out.printf("HUP: %d requests, none lost; reload complete after %d ms%n", results.size(), reloadMillis);
        }
        for (int i = 0; i < 6; i++) {
            assertEquals("v2\n", Http.get(warhorse.port(), "/version.txt").body());
        }
    }

    @Test
    @Order(2)
    void aHupWhoseNewWarFailsToDeployLeavesTheOldWorkersServing() throws Exception {
        List<Warhorse.Worker> before = warhorse.awaitWorkers(2, Duration.ofSeconds(30));
        int generation = before.getFirst().generation();
        try (Load load = Load.start(warhorse.port(), "/whoami", 2)) {
            load.awaitMore(100, Duration.ofSeconds(20));
            TestWars.notAZip(app, "this is not a WAR\n");
            int from = warhorse.lineCount();
            warhorse.signal("HUP");
            warhorse.awaitLine("warhorse worker: .*app\\.war.*not a WAR", from, Duration.ofSeconds(30));
            warhorse.awaitLine("app failed to load: app / \\(.*app\\.war\\): not a WAR", from, Duration.ofSeconds(30));
            assertTrue(warhorse.findLine("^\\s+at io\\.warhorse\\.core\\.deploy\\.", from).isEmpty(),
                    "a file that is not a WAR is one line, no stack trace:\n" + warhorse.tail(20));
            warhorse.awaitLine("RELOAD ABORTED: new worker \\d+ \\(pid:\\d+, generation " + (generation + 1) + "\\) exited with "
                    + "code 4 \\(an app failed to load\\) before it was ready; 2 worker\\(s\\) of generation " + generation
                    + " keep serving", from, Duration.ofSeconds(30));
            load.awaitMore(100, Duration.ofSeconds(20));
            List<Load.Result> results = load.stop();
            assertEquals(List.of(), Load.failures(results), "a failed reload lost requests");
        }
        List<Warhorse.Worker> after = warhorse.awaitWorkers(2, Duration.ofSeconds(10));
        assertEquals(pids(before), pids(after), "the same workers serve");
        assertTrue(warhorse.control("status").startsWith("master pid " + warhorse.masterPid() + ", generation " + generation + ","));
        for (int i = 0; i < 6; i++) {
            assertEquals("v2\n", Http.get(warhorse.port(), "/version.txt").body());
        }
        assertFalse(warhorse.findLine("HALTING", 0).isPresent(), "a failed reload does not halt the master");
        assertTrue(warhorse.alive());
    }

    @Test
    @Order(3)
    void ctlReloadServesTheFixedWarAndCtlScaleChangesTheCount() throws Exception {
        int generation = warhorse.awaitWorkers(2, Duration.ofSeconds(30)).getFirst().generation();
        TestWars.copyWith(Warhorse.war("hello"), app, Map.of("version.txt", "v3\n"));
        int from = warhorse.lineCount();
        Warhorse.Result reload = Warhorse.ctl("--socket", warhorse.controlSocket().toString(), "reload");
        assertEquals(0, reload.exitCode(), reload.output());
        assertTrue(reload.output().startsWith("reloading"), reload.output());
        warhorse.awaitLine("reload complete: generation " + (generation + 1) + " serving", from, Duration.ofSeconds(40));
        List<Warhorse.Worker> reloaded = warhorse.awaitWorkers(2, Duration.ofSeconds(20));
        assertTrue(reloaded.stream().allMatch(worker -> worker.generation() == generation + 1), reloaded.toString());
        assertEquals("v3\n", Http.get(warhorse.port(), "/version.txt").body());

        Warhorse.Result scale = Warhorse.ctl("--socket", warhorse.controlSocket().toString(), "scale", "3");
        assertEquals(0, scale.exitCode(), scale.output());
        assertEquals("scaling to 3\n", scale.output());
        warhorse.awaitWorkers(3, Duration.ofSeconds(30));
        Warhorse.Result ttou = Warhorse.ctl("--socket", warhorse.controlSocket().toString(), "ttou");
        assertEquals("scaling to 2\n", ttou.output());
        warhorse.awaitWorkers(2, Duration.ofSeconds(30));
        Warhorse.Result wrong = Warhorse.ctl("--socket", warhorse.controlSocket().toString(), "scale", "none");
        assertEquals(1, wrong.exitCode(), wrong.output());
        assertTrue(wrong.output().contains("worker count is not a number: 'none'"), wrong.output());
    }

    private static Set<Long> pids(List<Warhorse.Worker> workers) {
        return workers.stream().map(Warhorse.Worker::pid).collect(Collectors.toSet());
    }
}
