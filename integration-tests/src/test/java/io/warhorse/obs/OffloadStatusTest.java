package io.warhorse.obs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warhorse.core.testing.PrometheusText;
import io.warhorse.e2e.Warhorse;
import io.warhorse.it.Http;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real master with one async worker: a route its watchdog moved to virtual threads is listed, with the worker
 * and why, in {@code /metrics.json}, in Prometheus ({@code warhorse_route_moved} with app and route labels), and on
 * the status page rendered by headless Chromium.
 */
class OffloadStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aMovedRouteIsShownWithItsWorkerAndWhy(@TempDir Path dir) throws Exception {
        try (Warhorse master = Warhorse.observed("offload", dir, 1, "--worker", "async", "--async-threads", "2",
                     Warhorse.war("slowdb").toString());
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < 4; i++) { // two at a time hold both threads: two strikes, at least 100 ms apart
                client.sendAsync(HttpRequest.newBuilder(master.uri("/slowdb/query?ms=600&via=sleep"))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding());
            }
            // the worker counts a move last, after the route's gauge: a snapshot taken between the two lists the
            // route with no count yet, so wait for the count
            master.await(Duration.ofSeconds(30), () -> moved(master) == 1);
            assertEquals(1, placed(master).size());
            JsonNode row = placed(master).get(0);
            assertEquals("/slowdb /query virtual moved", row.get("app").asText() + " " + row.get("route").asText() + " "
                    + row.get("runs_on").asText() + " " + row.get("why").asText());
            assertEquals(1, row.get("worker").asInt());
            String prometheus = Http.get(master.adminUri("/metrics")).body();
            PrometheusText.parse(prometheus);
            assertEquals(1, prometheus.lines().filter(line -> line.startsWith("warhorse_route_moved{")
                    && line.contains("app=\"/slowdb\"") && line.contains("route=\"/query\"")).count(), prometheus);
            StatusPageCheck.assertShowsMovedRoute(master.adminUri("/"), "/slowdb", "/query", "virtual");
        }
    }

    private static long moved(Warhorse master) throws Exception {
        return JSON.readTree(Http.get(master.adminUri("/metrics.json")).body()).path("counters").path("routes.moved").asLong();
    }

    private static JsonNode placed(Warhorse master) throws Exception {
        return JSON.readTree(Http.get(master.adminUri("/metrics.json")).body()).path("placed_routes");
    }
}
