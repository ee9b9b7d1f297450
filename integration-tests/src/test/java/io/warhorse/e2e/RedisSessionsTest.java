package io.warhorse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.it.Deadline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale-out recipe of the README, for real: two warhorse masters (two "hosts") sharing a redis-server behind an
 * nginx round-robin upstream, every one started by the test on 127.0.0.1. One user's counter goes up across both;
 * with Redis stopped, a page without a session still answers 200 and session pages answer 503; once Redis is back,
 * sessions work again without restarting anything.
 */
class RedisSessionsTest {

    private static final String APP = "/session-counter";
    /** Generous: on a loaded 2-core machine a worker's boot alone took 50 s. Never waited out when all is well. */
    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    @Timeout(value = 400, unit = TimeUnit.SECONDS)
    void twoHostsBehindNginxShareSessionsInRedisAndOutlastAnOutage(@TempDir Path dir) throws Exception {
        int redisPort = ExternalServer.freePort();
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        ExternalServer redis = ExternalServer.redis(redisDir, redisPort);
        try (Warhorse one = host(dir, "one", redisPort); Warhorse two = host(dir, "two", redisPort)) {
            one.awaitListening(WAIT);
            two.awaitListening(WAIT);
            one.awaitWorkers(1, WAIT);
            two.awaitWorkers(1, WAIT);
            try (ExternalServer nginx = ExternalServer.nginx(Files.createDirectories(dir.resolve("nginx")),
                    one.port(), two.port())) {
                SessionClient user = new SessionClient(nginx.port);
                Set<Long> pids = new HashSet<>();
                for (int i = 1; i <= 10; i++) {
                    SessionClient.Response response = user.get(APP + "/count");
                    assertEquals(200, response.status(), response.body());
                    assertEquals(i, response.count(), "the counter follows the user across hosts");
                    pids.add(response.pid());
                }
                assertEquals(2, pids.size(), "nginx sent the user to both hosts: " + pids);

                redis.close();
                for (int i = 0; i < 4; i++) {
                    assertEquals(200, user.get(APP + "/plain").status(), "a page without a session is served");
                    SessionClient.Response refused = user.get(APP + "/count");
                    assertEquals(503, refused.status(), refused.body());
                    assertTrue(refused.head().contains("Retry-After"), refused.head());
                }
                one.awaitLine("SESSION STORE DOWN \\(pid \\d+\\): the redis session store at redis://127.0.0.1:"
                        + redisPort, 0, WAIT);

                redis = ExternalServer.redis(redisDir, redisPort);
                Deadline.within(WAIT, () -> user.get(APP + "/count").status() == 200);
                int at = user.get(APP + "/count").count(); // Redis kept nothing: a new session, counting again
                for (int i = 1; i <= 4; i++) {
                    assertEquals(at + i, user.get(APP + "/count").count());
                }
                one.awaitLine("SESSION STORE BACK", 0, WAIT);
            }
        } finally {
            redis.close();
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aStoreThatCannotBeReachedAtStartStopsTheMasterWithExit1(@TempDir Path dir) throws Exception {
        int closed = ExternalServer.freePort();
        try (Warhorse master = Warhorse.start("redis-down", dir, "--bind", "127.0.0.1:0", "--session-store", "redis",
                "--session-redis-uri", "redis://127.0.0.1:" + closed, Warhorse.war("session-counter") + "=" + APP)) {
            assertEquals(1, master.awaitExit(WAIT));
            master.awaitLine("the session store cannot be used: the redis session store at redis://127.0.0.1:"
                    + closed + " failed", 0, WAIT);
            master.awaitLine("SESSION STORE UNREACHABLE \\(pid \\d+\\)", 0, WAIT);
        }
    }

    private static Warhorse host(Path dir, String name, int redisPort) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        return Warhorse.start(name, home, "--workers", "1", "--bind", "127.0.0.1:0", "--admin-bind", "127.0.0.1:0",
                "--session-store", "redis", "--session-redis-uri", "redis://127.0.0.1:" + redisPort,
                Warhorse.war("session-counter") + "=" + APP);
    }
}
