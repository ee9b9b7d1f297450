package io.warhorse.obs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.config.TestSettings;
import io.warhorse.core.metrics.LatencyHistogram;
import io.warhorse.core.testing.RunningWorker;
import io.warhorse.it.Deadline;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The one instrumentation point in a worker, in-process: a latency histogram per app and servlet mapping, meters
 * per status class, and the 503s a full bulkhead answers (the sync kind with two threads and no queue; two, so that
 * the thread of one request is free for the next even before the pool has taken the previous one's back).
 */
class RequestInstrumentationTest {

    private static Path war(String name) {
        return Path.of(System.getProperty("warhorse.wars", "target/wars")).resolve(name + ".war").toAbsolutePath();
    }

    @Test
    void timesEachRouteAndCountsStatusClassesAndBulkhead503s() throws Exception {
        var settings = TestSettings.of("warhorse.worker.kind", "sync", "warhorse.threads", "2", "warhorse.queue", "0",
                "warhorse.apps", war("slowdb") + "=/slowdb");
        try (RunningWorker worker = RunningWorker.start(settings)) {
            assertEquals(200, get(worker, "/slowdb/health").statusCode());
            assertEquals(404, get(worker, "/slowdb/nothing-here").statusCode());
            Map<Integer, Long> statuses = concurrently(worker, "/slowdb/query?ms=3000", 6); // long enough that all six overlap on a loaded machine
            assertTrue(statuses.getOrDefault(503, 0L) >= 1, "a full bulkhead answers 503: " + statuses);
            var registry = worker.metrics();
            // recorded on the worker's recorder thread, a few ms after each response
            Deadline.within(Duration.ofSeconds(10), () -> timed(registry) >= 8);
            assertEquals(statuses.getOrDefault(503, 0L), registry.meter("responses.503").getCount());
            assertEquals(statuses.getOrDefault(503, 0L), registry.meter("responses.5xx").getCount());
            assertEquals(1 + statuses.getOrDefault(200, 0L), registry.meter("responses.2xx").getCount());
            assertEquals(1, registry.meter("responses.4xx").getCount());
            assertEquals(8, timed(registry), "every request timed once: " + registry.getNames());
            LatencyHistogram health = (LatencyHistogram) registry.getMetrics().get("request.duration|/slowdb|/health");
            assertEquals(1, java.util.Arrays.stream(health.counts()).sum());
            LatencyHistogram query = (LatencyHistogram) registry.getMetrics().get("request.duration|/slowdb|/query");
            assertTrue(query.sumSeconds() >= 3.0 * statuses.getOrDefault(200, 0L), "each served query was timed at its 3 s at least");
        }
    }

    private static long timed(com.codahale.metrics.MetricRegistry registry) {
        return registry.getMetrics().entrySet().stream() // request histograms only, not the session store's latency
                .filter(entry -> entry.getKey().startsWith("request.duration|"))
                .mapToLong(entry -> java.util.Arrays.stream(((LatencyHistogram) entry.getValue()).counts()).sum()).sum();
    }

    private static HttpResponse<String> get(RunningWorker worker, String path) throws Exception {
        return io.warhorse.it.Http.CLIENT.send(HttpRequest.newBuilder(worker.uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<Integer, Long> concurrently(RunningWorker worker, String path, int count) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<CompletableFuture<HttpResponse<Void>>> responses = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                responses.add(client.sendAsync(HttpRequest.newBuilder(worker.uri(path)).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.discarding()));
            }
            List<Integer> codes = new ArrayList<>();
            for (CompletableFuture<HttpResponse<Void>> response : responses) {
                codes.add(response.get(30, TimeUnit.SECONDS).statusCode());
            }
            return codes.stream().collect(Collectors.groupingBy(code -> code, Collectors.counting()));
        }
    }
}
