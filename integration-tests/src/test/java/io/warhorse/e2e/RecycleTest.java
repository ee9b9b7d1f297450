package io.warhorse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * max-requests recycling under continuous load: each worker is replaced after its quota, and no request is lost.
 * The heartbeat timeout is long (a beat every 150 s), so the master learns that a worker is past its quota only
 * because the worker then tells it at once: with beats alone, no recycle would come within the test's deadlines.
 */
class RecycleTest {

    private static final Pattern RECYCLED = Pattern.compile(
            "worker \\d+ \\(pid:(\\d+), generation 1\\) replaces worker \\d+ \\(pid:(\\d+), generation 1\\) \\(served (\\d+) requests \\(max-requests\\)\\)");

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void maxRequestsRecyclingUnderContinuousLoadLosesNoRequest(@TempDir Path dir) throws Exception {
        try (Warhorse warhorse = Warhorse.serve("recycle", dir, 2, "--workers", "2", "--bind", "127.0.0.1:0",
                "--timeout", "600s", "--graceful-timeout", "5s", "--max-requests", "150", "--max-requests-jitter", "50",
                Warhorse.war("hello") + "=/")) {
            Set<Long> first = warhorse.awaitWorkers(2, Duration.ofSeconds(30)).stream()
                    .map(Warhorse.Worker::pid).collect(Collectors.toSet());
            int from = warhorse.lineCount();
            List<Load.Result> results;
            try (Load load = Load.start(warhorse.port(), "/whoami", 4)) {
                // Three recycles done: the old worker drained and exited, its replacement serving.
                for (int done = 0, at = from; done < 3; done++) {
                    Warhorse.Line replaced = warhorse.awaitLine(RECYCLED.pattern(), at, Duration.ofSeconds(40));
                    Matcher matcher = RECYCLED.matcher(replaced.text());
                    assertTrue(matcher.find());
                    long served = Long.parseLong(matcher.group(3));
                    assertTrue(served >= 150, "recycled after " + served + " requests, fewer than max-requests");
                    warhorse.awaitLine("worker \\d+ \\(pid:" + matcher.group(2) + ", generation 1\\) exited with code 0",
                            at, Duration.ofSeconds(60));
                    at = replaced.index() + 1;
                }
                load.awaitMore(100, Duration.ofSeconds(20));
                results = load.stop();
            }
            assertEquals(List.of(), Load.failures(results), "recycling lost requests");
            Set<Long> served = results.stream().map(Load.Result::pid).collect(Collectors.toSet());
            assertTrue(served.size() >= 4, "requests were served by the first two workers and their replacements: " + served);
            assertTrue(served.containsAll(first));
            assertTrue(warhorse.findLine("WORKER (DIED|TIMEOUT)", 0).isEmpty(), warhorse.tail(40));
            System.out.printf("max-requests: %d requests over %d workers, none lost%n", results.size(), served.size());
        }
    }
}
