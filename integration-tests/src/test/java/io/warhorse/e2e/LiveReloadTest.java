package io.warhorse.e2e;

import io.warhorse.it.Http;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --reload} on a real master: a new WAR is served without a signal; a broken build stops the rollout, the
 * old worker keeps serving and the log says why; the fixed build is served; a change to a
 * {@code --reload-extra-file} and to the {@code -c} file each reload too.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class LiveReloadTest {

    /** A new worker took up to 38 s to boot at a load average of 40 on 2 cores (bench/reload.sh). */
    private static final Duration RELOAD = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void aChangedWarIsServedABrokenOneIsNotAndTheConfigAndExtraFilesReloadToo() throws Exception {
        Path app = TestWars.copyWith(Warhorse.war("hello"), dir.resolve("app.war"), Map.of("version.txt", "v1\n"));
        Path config = Files.writeString(dir.resolve("dev.conf"), "warhorse.reload.settle = 300ms\n");
        Path extra = Files.writeString(dir.resolve("extra.properties"), "greeting=hello\n");
        try (Warhorse warhorse = Warhorse.serve("live-reload", dir, 1, "--reload", "-c", "dev.conf",
                "--reload-extra-file", "extra.properties", "--bind", "127.0.0.1:0", "--admin-bind", "127.0.0.1:0",
                "--graceful-timeout", "5s", "app.war=/")) {
            assertEquals("v1\n", Http.get(warhorse.port(), "/version.txt").body());

            int from = warhorse.lineCount();
            long changed = System.nanoTime();
            TestWars.copyWith(Warhorse.war("hello"), app, Map.of("version.txt", "v2\n"));
            awaitVersion(warhorse, "v2\n");
            long servedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed);
            warhorse.awaitLine("RELOAD \\(master pid " + warhorse.masterPid() + "\\): " + app + " changed", from, RELOAD);
            warhorse.awaitLine("reload complete: generation 2 serving", from, RELOAD);
            System.out.printf("--reload: changed WAR to the new version serving in %d ms (settle 300 ms, 1 worker)%n", servedMillis);

            from = warhorse.lineCount();
            TestWars.copyWith(Warhorse.war("hello"), app, Map.of("version.txt", "broken\n",
                    "WEB-INF/web.xml", TestWars.MISSING_LISTENER_WEB_XML));
            warhorse.awaitLine("RELOAD ABORTED: new worker .* exited with code 4 \\(an app failed to load\\) before it was "
                    + "ready; 1 worker\\(s\\) of generation 2 keep serving", from, RELOAD);
            assertTrue(warhorse.findLine("NoSuchListener", from).isPresent(), "the reason is in the log:\n" + warhorse.tail(40));
            assertEquals("v2\n", Http.get(warhorse.port(), "/version.txt").body(), "the old worker keeps serving");

            TestWars.copyWith(Warhorse.war("hello"), app, Map.of("version.txt", "v3\n"));
            awaitVersion(warhorse, "v3\n");

            from = warhorse.lineCount();
            Files.writeString(extra, "greeting=hi\n");
            warhorse.awaitLine("RELOAD .*: " + extra + " changed", from, RELOAD);
            warhorse.awaitLine("reload complete: generation \\d+ serving", from, RELOAD);

            from = warhorse.lineCount();
            Files.writeString(config, "warhorse.reload.settle = 300ms\nwarhorse.request-timeout = 30s\n");
            warhorse.awaitLine("RELOAD .*: " + config + " changed", from, RELOAD);
            warhorse.awaitLine("reload complete: generation \\d+ serving", from, RELOAD);
            assertEquals("v3\n", Http.get(warhorse.port(), "/version.txt").body());
            assertTrue(warhorse.alive(), "a reload never stops the master");
        }
    }

    private static void awaitVersion(Warhorse warhorse, String version) throws IOException, InterruptedException {
        long end = System.nanoTime() + RELOAD.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            last = Http.get(warhorse.port(), "/version.txt").body();
            if (last.equals(version)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("still " + last.strip() + ", not " + version.strip() + ", after " + RELOAD + ":\n" + warhorse.tail(40));
    }
}
