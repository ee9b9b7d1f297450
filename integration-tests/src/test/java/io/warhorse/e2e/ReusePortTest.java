package io.warhorse.e2e;

import io.warhorse.it.Http;
import io.warhorse.it.Deadline;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --reuse-port true}, also the fallback when the master cannot hand its socket down: every worker binds
 * the port itself with SO_REUSEPORT, says so in the log, and both serve.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReusePortTest {

    @TempDir
    Path dir;

    @Test
    void workersBindThePortThemselvesAndBothServe() throws Exception {
        try (Warhorse warhorse = Warhorse.serve("reuse-port", dir, 2, "--workers", "2", "--reuse-port", "true",
                "--bind", "127.0.0.1:0", Warhorse.war("hello") + "=/")) {
            warhorse.awaitLine("reuse-port: a socket per worker, SO_REUSEPORT", 0, Duration.ofSeconds(20));
            Set<Long> workers = warhorse.awaitWorkers(2, Duration.ofSeconds(30)).stream()
                    .map(Warhorse.Worker::pid).collect(Collectors.toSet());
            Set<Long> served = ConcurrentHashMap.newKeySet();
            try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
                Deadline.within(Duration.ofSeconds(15), () -> {
                    List<CompletableFuture<Long>> round = new ArrayList<>();
                    for (int i = 0; i < 16; i++) {
                        round.add(CompletableFuture.supplyAsync(() -> Http.whoami(warhorse.port()), clients));
                    }
                    round.forEach(pid -> served.add(pid.join()));
                    return served.size() >= 2;
                });
            }
            assertEquals(workers, served);
        }
    }
}
