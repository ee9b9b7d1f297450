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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code limits.route-share} on every kind, with no bulkhead configured: a slow route saturating its share gets 503
 * with Retry-After for the excess at once, while another route of the app (its own {@code /health} servlet) is
 * answered 200 before the slow requests end. A hand-made bulkhead ({@code limits.routes}) replaces the share.
 */
class RouteShareTest {

    private static final String SLOW = "/slowdb/query?ms=3000&via=sleep";

    /** sync: 4 threads, so the route runs 2 and queues 2 more; virtual, async: 6 connections, so 3 in flight. */
    @ParameterizedTest
    @CsvSource({"sync, 4", "virtual, 3", "async, 3"})
    void slowRouteTakesItsShareAndTheHealthServletStaysServed(String kind, int admitted) throws Exception {
        var settings = Wars.settings(kind, List.of(app("slowdb")), "warhorse.threads", "4", "warhorse.queue", "2",
                "warhorse.worker-connections", "6", "warhorse.async.threads", "8");
        try (RunningWorker worker = RunningWorker.start(settings);
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<CompletableFuture<HttpResponse<String>>> slow = send(client, worker, 10);
            Deadline.within(Duration.ofSeconds(15), () -> done(slow) >= 10 - admitted);
            assertTrue(slow.stream().filter(CompletableFuture::isDone).allMatch(r -> r.join().statusCode() == 503
                    && r.join().headers().firstValue("Retry-After").isPresent()), "the excess is refused at once");

            var health = Http.get(worker.uri("/slowdb/health"));
            assertEquals(200, health.statusCode(), health.body());
            assertEquals(admitted, slow.size() - done(slow), "/health answered while the slow route was still full");

            CompletableFuture.allOf(slow.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals(admitted, slow.stream().filter(r -> r.join().statusCode() == 200).count());
            assertEquals(10 - admitted, worker.metrics().counter("requests.rejected.share").getCount());
        }
    }

    @Test
    void aHandMadeBulkheadReplacesTheShareOfItsRoute() throws Exception {
        var settings = Wars.settings("sync", List.of(app("slowdb")), "warhorse.threads", "4", "warhorse.queue", "2",
                "warhorse.limits.routes", "[{ path = \"/slowdb/query\", max-concurrent = 3, queue = 0 }]");
        try (RunningWorker worker = RunningWorker.start(settings);
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<CompletableFuture<HttpResponse<String>>> slow = send(client, worker, 6);
            CompletableFuture.allOf(slow.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals(3, slow.stream().filter(r -> r.join().statusCode() == 200).count(), "3 run at once, not 2");
            assertEquals(3, worker.metrics().counter("requests.rejected.route").getCount());
            assertEquals(0, worker.metrics().counter("requests.rejected.share").getCount());
        }
    }

    private static List<CompletableFuture<HttpResponse<String>>> send(HttpClient client, RunningWorker worker, int n) {
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            slow.add(client.sendAsync(HttpRequest.newBuilder(worker.uri(SLOW)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        return slow;
    }

    private static long done(List<CompletableFuture<HttpResponse<String>>> futures) {
        return futures.stream().filter(CompletableFuture::isDone).count();
    }
}
