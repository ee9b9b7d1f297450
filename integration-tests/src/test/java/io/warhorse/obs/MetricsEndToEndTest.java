package io.warhorse.obs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warhorse.e2e.Warhorse;
import io.warhorse.it.Http;
import io.warhorse.core.testing.PrometheusText;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real master with two workers: {@code /metrics} is valid Prometheus text whose request counter equals the
 * requests sent across both workers and does not go down when a worker is killed and replaced; the admin
 * listener's health endpoints answer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 300;
    @TempDir
    static Path dir;
    private static Warhorse master;

    @BeforeAll
    static void start() throws Exception {
        master = Warhorse.observed("metrics", dir, 2, Warhorse.war("hello").toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (master != null) {
            master.close();
        }
    }

    static double requestsTotal() throws Exception {
        HttpResponse<String> metrics = Http.get(master.adminUri("/metrics"));
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                metrics.headers().toString());
        return PrometheusText.parse(metrics.body()).getOrDefault("warhorse_requests_total", 0.0);
    }

    static JsonNode status() throws Exception {
        return JSON.readTree(Http.get(master.adminUri("/metrics.json")).body());
    }

    @Test
    @Order(1)
    void requestCounterEqualsTheRequestsSentAcrossTwoWorkers() throws Exception {
        sendOnFreshConnections(REQUESTS);
        master.await(Duration.ofSeconds(20), () -> quietly(() -> requestsTotal() == REQUESTS));
        assertEquals(2, status().get("workers").size());
        // heartbeats (every timeout / 4) carry each worker's own count; they catch up with the metrics lines
        master.await(Duration.ofSeconds(30), () -> quietly(() -> heartbeatRequests() == REQUESTS));
        // status meters are recorded off the request thread: the next snapshot has them all
        master.await(Duration.ofSeconds(20), () -> quietly(() -> responses2xx() >= REQUESTS));
        assertEquals(REQUESTS, responses2xx());
        assertEquals(REQUESTS, requestsTotal());
    }

    @Test
    @Order(2)
    void counterDoesNotGoDownWhenAWorkerIsKilledAndReplaced() throws Exception {
        double before = requestsTotal();
        assertEquals(REQUESTS, before);
        JsonNode victim = status().get("workers").get(0);
        Set<Long> pidsBefore = pids();
        ProcessHandle.of(victim.get("pid").asLong()).orElseThrow().destroyForcibly();
        List<Double> seen = new ArrayList<>();
        master.await(Duration.ofSeconds(60), () -> quietly(() -> {
            seen.add(requestsTotal());
            Set<Long> now = pids();
            return now.size() == 2 && !now.contains(victim.get("pid").asLong()) && !now.equals(pidsBefore) && allReady();
        }));
        for (double value : seen) {
            assertTrue(value >= before, "counter went down to " + value + " after the kill: " + seen);
        }
        sendOnFreshConnections(20);
        master.await(Duration.ofSeconds(20), () -> quietly(() -> requestsTotal() == REQUESTS + 20));
    }

    @Test
    @Order(3)
    void adminHealthAndReadiness() throws Exception {
        assertEquals(200, Http.get(master.adminUri("/-/healthy")).statusCode());
        assertEquals(200, Http.get(master.adminUri("/-/ready")).statusCode());
        assertEquals(404, Http.get(master.uri("/metrics")).statusCode(), "metrics stay off the app port");
        HttpResponse<String> openMetrics = Http.CLIENT.send(HttpRequest.newBuilder(master.adminUri("/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0").timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(openMetrics.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(openMetrics.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
    }

    @Test
    @Order(4)
    void statusPageRendersTheLiveWorkerCountInHeadlessChromium() throws Exception {
        StatusPageCheck.assertShowsWorkers(master.adminUri("/"), 2);
    }

    private static long responses2xx() throws Exception {
        return status().get("counters").get("responses.2xx").asLong();
    }

    private static long heartbeatRequests() throws Exception {
        long sum = 0;
        for (JsonNode worker : status().get("workers")) {
            sum += worker.get("requests").asLong();
        }
        return sum;
    }

    private static Set<Long> pids() throws Exception {
        Set<Long> pids = new HashSet<>();
        status().get("workers").forEach(worker -> pids.add(worker.get("pid").asLong()));
        return pids;
    }

    private static boolean allReady() throws Exception {
        for (JsonNode worker : status().get("workers")) {
            if (!worker.get("state").asText().equals("ready")) {
                return false;
            }
        }
        return true;
    }

    /** Each request on a connection of its own, several at once, so the kernel spreads them over both workers. */
    private static void sendOnFreshConnections(int count) throws Exception {
        List<CompletableFuture<HttpResponse<Void>>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpRequest request = HttpRequest.newBuilder(master.uri("/hello/hello"))
                    .timeout(Duration.ofSeconds(20)).build();
            HttpClient client = i % 10 == 0 ? HttpClient.newHttpClient() : Http.CLIENT;
            pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
            if (pending.size() >= 20) {
                drain(pending);
            }
        }
        drain(pending);
    }

    private static void drain(List<CompletableFuture<HttpResponse<Void>>> pending) throws Exception {
        for (CompletableFuture<HttpResponse<Void>> response : pending) {
            assertEquals(200, response.get(20, TimeUnit.SECONDS).statusCode());
        }
        pending.clear();
    }

    interface Check {
        boolean test() throws Exception;
    }

    static boolean quietly(Check check) {
        try {
            return check.test();
        } catch (Exception e) {
            return false;
        }
    }

    static Map<String, Double> metrics() throws Exception {
        return PrometheusText.parse(Http.get(master.adminUri("/metrics")).body());
    }
}
