package io.warhorse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.process.CpuAffinity;
import io.warhorse.core.process.CpuSet;
import io.warhorse.it.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --cpu-affinity} on real workers: every thread of each worker runs on that worker's share of the master's
 * CPUs (read from /proc/PID/task/TID/status), the two shares are the master's CPUs split in two, and the
 * replacement of a killed worker takes the CPUs its predecessor had.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CpuAffinityTest {

    @TempDir
    Path dir;

    @Test
    void eachWorkerRunsOnItsOwnShareOfTheCpusAndAReplacementTakesTheFreedShare() throws Exception {
        CpuSet allowed = CpuAffinity.allowed().orElseThrow(() -> new AssertionError("no Cpus_allowed_list in /proc/self/status"));
        Set<CpuSet> shares = Set.copyOf(allowed.shares(2)); // one share when this machine has a single CPU
        try (Warhorse warhorse = Warhorse.observed("cpu-affinity", dir, 2, "--cpu-affinity", Warhorse.war("hello") + "=/")) {
            List<Warhorse.Worker> workers = warhorse.awaitWorkers(2, Duration.ofSeconds(60));
            Map<Long, CpuSet> pinned = new HashMap<>();
            for (Warhorse.Worker worker : workers) {
                pinned.put(worker.pid(), cpusOf(worker.pid()));
            }
            assertEquals(shares, Set.copyOf(pinned.values()), "workers on " + pinned + ", the master's CPUs " + allowed);
            assertEquals(200, Http.get(warhorse.uri("/hello")).statusCode());

            long victim = workers.getFirst().pid();
            Warhorse.kill("KILL", victim);
            warhorse.await(Duration.ofSeconds(60), () -> warhorse.workers().stream().noneMatch(worker -> worker.pid() == victim));
            List<Warhorse.Worker> after = warhorse.awaitWorkers(2, Duration.ofSeconds(60));
            assertFalse(after.stream().anyMatch(worker -> worker.pid() == victim), after.toString());
            Warhorse.Worker replacement = after.stream().filter(worker -> !pinned.containsKey(worker.pid())).findFirst()
                    .orElseThrow(() -> new AssertionError("no replacement among " + after));
            assertEquals(pinned.get(victim), cpusOf(replacement.pid()), "the replacement is not on its predecessor's CPUs");
            assertEquals(200, Http.get(warhorse.uri("/hello")).statusCode());
        }
    }

    /** The one CPU set every thread of {@code pid} may run on; fails if its threads differ. */
    private static CpuSet cpusOf(long pid) throws IOException {
        Set<CpuSet> seen = new HashSet<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                CpuAffinity.allowed(task.resolve("status")).ifPresent(seen::add); // absent: a thread that ended while listed
            }
        }
        assertTrue(seen.size() == 1, "threads of worker " + pid + " on different CPUs: " + seen);
        return seen.iterator().next();
    }
}
