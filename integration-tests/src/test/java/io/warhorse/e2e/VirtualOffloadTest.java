package io.warhorse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warhorse.it.Http;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtual kind's offload tells waiting from computing, in a real worker process from its cold start: the
 * session-counter app on a real redis-server, whose every request waits on Redis round trips of tens of
 * microseconds (and, under concurrent load, often leads a pipeline for other requests), is never moved to the
 * platform pool, while a CPU-bound route of another app in the same worker is. Seen through the master's
 * {@code /metrics.json} ({@code routes.moved}, {@code placed_routes}) and the log.
 */
class VirtualOffloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 16;
    private static final int REQUESTS_EACH = 60;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRouteThatWaitsOnRedisStaysWhileACpuBoundRouteMoves(@TempDir Path dir) throws Exception {
        int redisPort = ExternalServer.freePort();
        try (ExternalServer redis = ExternalServer.redis(Files.createDirectories(dir.resolve("redis")), redisPort);
             Warhorse master = Warhorse.observed("virtual-offload", dir, 1, "--worker", "virtual",
                     "--session-store", "redis", "--session-redis-uri", "redis://127.0.0.1:" + redisPort,
                     Warhorse.war("session-counter") + "=/s", Warhorse.war("cpu") + "=/c");
             ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            AtomicInteger ok = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) { // each a user with a session: one write, then reads and writes
                done.add(clients.submit(() -> {
                    try (HttpClient user = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .cookieHandler(new CookieManager()).build()) {
                        for (int i = 0; i < REQUESTS_EACH; i++) {
                            String path = i % 4 == 0 ? "/s/count" : "/s/read";
                            ok.addAndGet(get(user, master.uri(path)) == 200 ? 1 : 0);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : done) {
                client.get(90, TimeUnit.SECONDS);
            }
            assertEquals(CLIENTS * REQUESTS_EACH, ok.get(), "every session request answered 200");
            assertEquals(0, moved(master), master.tail(40));
            assertEquals(0, master.count("ROUTE MOVED ("), master.tail(40));

            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                master.await(Duration.ofSeconds(60), () -> { // ~5 ms of CPU per request, 4 at a time, until moved
                    List<Future<Integer>> burns = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        burns.add(clients.submit(() -> get(client, master.uri("/c/cpu?n=40000"))));
                    }
                    for (Future<Integer> burn : burns) {
                        assertEquals(200, burn.get(30, TimeUnit.SECONDS));
                    }
                    return moved(master) == 1;
                });
            }
            JsonNode placed = metrics(master).path("placed_routes");
            assertEquals(1, placed.size(), placed.toString());
            JsonNode row = placed.get(0);
            assertEquals("/c /cpu platform moved", row.get("app").asText() + " " + row.get("route").asText() + " "
                    + row.get("runs_on").asText() + " " + row.get("why").asText());
            assertEquals(1, master.count("ROUTE MOVED ("), master.tail(40));
            assertTrue(master.findLine("ROUTE MOVED .*app /c, route /cpu: .* of its last 20 requests used", 0)
                    .isPresent(), master.tail(40));
        }
    }

    private static int get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static JsonNode metrics(Warhorse master) throws Exception {
        return JSON.readTree(Http.get(master.adminUri("/metrics.json")).body());
    }

    private static long moved(Warhorse master) throws Exception {
        return metrics(master).path("counters").path("routes.moved").asLong();
    }
}
