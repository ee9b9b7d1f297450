package io.warhorse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Counter;
import io.warhorse.core.metrics.LatencyHistogram;
import io.warhorse.core.testing.RunningWorker;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * warhorse's session manager in one real worker (in-process, port 0), with the default local store: the Jetty spec
 * demo WAR (whose listener reads and sets the session timeout through the servlet context) and the session-counter
 * app, with the session metrics the master merges.
 */
class SessionManagerTest {

    @Test
    void theSpecDemoWarAndACounterRunOnWarhorsesSessionManagerWithItsMetrics() throws Exception {
        var settings = Wars.settings("virtual", List.of(Wars.app("jetty-ee10-demo-spec-webapp", "/spec"),
                Wars.app("session-counter", "/counter")));
        try (RunningWorker worker = RunningWorker.start(settings)) {
            String page = Http.post(worker.uri("/spec/test/"), "", "application/x-www-form-urlencoded").body();
            int at = page.indexOf("<h2>ServletContextListener as @WebListener Get/Set Session Timeout</h2>");
            assertTrue(at >= 0, page);
            assertTrue(page.indexOf("class=\"pass\"", at) > at, "the spec WAR's session-timeout check: " + page);
            int failed = page.indexOf("class=\"fail\"", at);
            assertTrue(failed < 0 || failed > page.indexOf("class=\"pass\"", at), page);

            HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
                    .connectTimeout(Duration.ofSeconds(10)).build();
            for (int i = 1; i <= 3; i++) {
                HttpResponse<String> count = browser.send(HttpRequest.newBuilder(worker.uri("/counter/count")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, count.statusCode());
                assertTrue(count.body().startsWith("count=" + i + " "), count.body());
            }
            HttpResponse<String> late = browser.send(HttpRequest.newBuilder(worker.uri("/counter/late")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("late count=4 pid=" + late.body().substring(late.body().indexOf("pid=") + 4), late.body(),
                    "a session read after the response was flushed");
            HttpResponse<String> read = browser.send(HttpRequest.newBuilder(worker.uri("/counter/read")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(read.body().startsWith("count=4 "), "the late change was written back: " + read.body());
            browser.send(HttpRequest.newBuilder(worker.uri("/counter/logout")).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(1, counter(worker, "sessions.created"));
            assertEquals(5, counter(worker, "sessions.cache.hits"), "requests 2, 3, late, read and the logout found their copy current");
            assertEquals(1, counter(worker, "sessions.invalidated"));
            assertEquals(0, counter(worker, "sessions.store.errors"));
            LatencyHistogram latency = (LatencyHistogram) worker.metrics().getMetrics().get("sessions.store.latency");
            long calls = java.util.Arrays.stream(latency.counts()).sum();
            assertTrue(calls >= 6, "loads, saves and the delete were timed: " + calls);
        }
    }

    private static long counter(RunningWorker worker, String name) {
        return ((Counter) worker.metrics().getMetrics().get(name)).getCount();
    }

}
