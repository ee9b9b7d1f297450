package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.testing.RunningWorker;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code limits.routes} on every kind: a saturated route serves its cap plus its queue and refuses the rest with
 * 503 and Retry-After at once, while other routes of the same app, and the health endpoint, stay fast.
 */
class BulkheadTest {

    private record Timed(int status, boolean retryAfter) {}

    @ParameterizedTest
    @ValueSource(strings = {"sync", "virtual", "async"})
    void saturatedRouteRefusesAtOnceAndOtherRoutesAnswerMeanwhile(String kind) throws Exception {
        var settings = Wars.settings(kind, List.of(app("slowdb")),
                "warhorse.limits.routes", "[{ path = \"/slowdb/query/*\", max-concurrent = 2, queue = 1 }]",
                "warhorse.async.threads", "8");
        try (RunningWorker worker = RunningWorker.start(settings);
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<CompletableFuture<Timed>> slow = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                slow.add(client.sendAsync(HttpRequest.newBuilder(worker.uri("/slowdb/query?ms=3000&via=sleep"))
                                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString())
                        .thenApply(response -> new Timed(response.statusCode(),
                                response.headers().firstValue("Retry-After").isPresent())));
            }
            Deadline.within(Duration.ofSeconds(10), () -> slow.stream().filter(CompletableFuture::isDone).count() >= 7);
            // the 7 answered are the refusals, while the 3 admitted still run: refused at once, not after a wait
            assertTrue(slow.stream().filter(CompletableFuture::isDone).allMatch(done -> done.join().status() == 503));
            assertEquals(200, Http.get(worker.uri("/slowdb/health")).statusCode());
            assertEquals(200, Http.get(worker.uri("/-/healthy")).statusCode());
            assertEquals(3, slow.stream().filter(future -> !future.isDone()).count(),
                    "another route answered while the saturated one was still full, not behind it");

            CompletableFuture.allOf(slow.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            List<Timed> results = slow.stream().map(CompletableFuture::join).toList();
            List<Timed> refused = results.stream().filter(r -> r.status() == 503).toList();
            assertEquals(3, results.stream().filter(r -> r.status() == 200).count(), results.toString());
            assertEquals(7, refused.size(), results.toString());
            assertTrue(refused.stream().allMatch(Timed::retryAfter), "every 503 carries Retry-After");
            assertEquals(7, worker.metrics().counter("requests.rejected.route").getCount());
        }
    }
}
