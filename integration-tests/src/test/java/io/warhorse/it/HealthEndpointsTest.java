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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /-/healthy} and {@code /-/ready} are answered on the I/O thread, so they stay fast when every request
 * thread and every admission slot is taken: here by blocking requests (on the async kind, by a servlet that
 * wrongly blocks its few threads).
 */
class HealthEndpointsTest {

    @ParameterizedTest
    @CsvSource({
        "sync, slowdb, /slowdb/query?ms=5000&via=sleep",
        "virtual, slowdb, /slowdb/query?ms=5000",
        "async, async, /async/block?ms=5000"})
    void healthAnswersAtOnceWhileEveryRequestSlotIsBlocked(String kind, String war, String blocking) throws Exception {
        var settings = Wars.settings(kind, List.of(app(war)), "warhorse.threads", "2", "warhorse.queue", "2",
                "warhorse.worker-connections", "4", "warhorse.async.threads", "2",
                "warhorse.limits.route-share", "1"); // one route takes every slot here, as no default share would let it
        // the worker is closed first: closing the client would wait for the hogs' answers (5 s each, more when queued)
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             RunningWorker worker = RunningWorker.start(settings)) {
            List<CompletableFuture<HttpResponse<Void>>> hogs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                hogs.add(client.sendAsync(HttpRequest.newBuilder(worker.uri(blocking)).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.discarding()));
            }
            Deadline.within(Duration.ofSeconds(10), () -> worker.metrics().counter("requests.active").getCount() >= 4);
            assertEquals(503, Http.get(worker.uri(blocking.replace("5000", "1"))).statusCode(), "the app is full");
            for (String path : List.of("/-/healthy", "/-/ready")) {
                HttpResponse<String> response = Http.get(worker.uri(path));
                assertEquals(200, response.statusCode(), path);
                assertTrue(worker.metrics().counter("requests.active").getCount() >= 4,
                        path + " answered only once the app's requests were done, not while they filled every slot");
            }
            // the hogs are not awaited: closing the worker cuts them after its 2 s grace
        }
    }
}
