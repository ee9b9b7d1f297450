package io.warhorse.core.config;

import static io.warhorse.core.config.ConfigFiles.load;
import static io.warhorse.core.config.ConfigFiles.problems;
import static io.warhorse.core.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code warhorse.limits.routes}: good entries are read in order; each bad one is reported with its line. */
class RouteLimitsConfigTest {

    @TempDir
    Path dir;

    @Test
    void routesAreRead() throws Exception {
        Path file = write(dir, "w.conf", """
                warhorse.limits.routes = [
                  { path = "/shop/query/*", max-concurrent = 50, queue = 100 }
                  { path = "*.pdf", max-concurrent = 2, queue = 0 }
                ]
                """);
        assertEquals(List.of(new RouteLimit("/shop/query/*", 50, 100), new RouteLimit("*.pdf", 2, 0)),
                load(file, Map.of(), List.of(), dir).settings().routeLimits());
    }

    @Test
    void everyBadEntryIsReportedWithItsLine() {
        Path file = write(dir, "w.conf", """
                warhorse.limits.routes = [
                  { path = "/ok/*", max-concurrent = 5, queue = 1 }
                  { path = "no-slash", max-concurrent = 5, queue = 1 }
                  { path = "/a/*", max-concurrent = 0, queue = 1 }
                  { path = "/b/*", max-concurent = 5, queue = 1 }
                  "/c/*"
                ]
                """);
        assertEquals(List.of(
                file + ":3: warhorse.limits.routes: path 'no-slash' must be /exact, /prefix/* or *.extension",
                file + ":4: warhorse.limits.routes: max-concurrent must be at least 1, got 0",
                file + ":5: warhorse.limits.routes: unknown key 'max-concurent' in a route limit; keys: path, max-concurrent, queue",
                file + ":5: warhorse.limits.routes: a route limit needs max-concurrent = N, a whole number",
                file + ":6: warhorse.limits.routes: expected { path = \"/x/*\", max-concurrent = N, queue = N }, got \"/c/*\""),
                problems(file));
    }

    @Test
    void routeShareAndQueueTimeoutAreReadAndChecked() throws Exception {
        Path good = write(dir, "good.conf", "warhorse.limits { route-share = 0.25, queue-timeout = 2s, "
                + "standing-queue { target = 5ms, interval = 50ms } }\n");
        assertEquals(new Settings.Shedding(0.25, java.time.Duration.ofSeconds(2), java.time.Duration.ofMillis(5),
                        java.time.Duration.ofMillis(50)),
                load(good, Map.of(), List.of(), dir).settings().shedding());
        Path bad = write(dir, "bad.conf", """
                warhorse.limits {
                  route-share = 1.5
                  queue-timeout = -1s
                  standing-queue.interval = 0s
                }
                """);
        assertEquals(List.of(
                bad + ":2: warhorse.limits.route-share: must be more than 0 and at most 1 (1 turns it off), got 1.5",
                bad + ":3: warhorse.limits.queue-timeout: must not be negative, got \"-1s\"",
                bad + ":4: warhorse.limits.standing-queue.interval: must be more than 0, got \"0s\""), problems(bad));
        Path slow = write(dir, "slow.conf", "warhorse.limits { queue-timeout = 1s, standing-queue.target = 1s }\n");
        assertEquals(List.of(slow + ":1: warhorse.limits.standing-queue.target: must be less than "
                + "limits.queue-timeout (\"1s\"), got \"1s\""), problems(slow));
    }
}
