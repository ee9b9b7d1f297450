package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Gauge;
import io.warhorse.core.testing.RunningWorker;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Overload sheds and recovers: a request that waited in a queue longer than {@code limits.queue-timeout} is answered
 * 503 without running, and queued requests whose clients closed their connections are dropped without running, so
 * that once the load stops the next request is served instead of waiting behind work nobody wants any more. While a
 * queue stands ({@code limits.standing-queue}), requests that waited past the short target are 503 too, so fresh
 * ones run instead of those whose clients are about to give up.
 */
class QueueSheddingTest {

    @Test
    void aRequestQueuedPastTheTimeoutIs503AndNeverRuns() throws Exception {
        var settings = Wars.settings("sync", List.of(app("slowdb")), "warhorse.threads", "1", "warhorse.queue", "4",
                "warhorse.limits.route-share", "1", "warhorse.limits.queue-timeout", "1s");
        try (RunningWorker worker = RunningWorker.start(settings)) {
            var busy = occupyTheThread(worker, "sync", 2500);
            HttpResponse<String> late = Http.get(worker.uri("/slowdb/query?ms=0"));
            assertEquals(503, late.statusCode(), late.body());
            assertTrue(late.body().contains("limits.queue-timeout"), late.body());
            assertTrue(late.headers().firstValue("Retry-After").isPresent());
            assertEquals(200, busy.join().statusCode());
            assertEquals("queries 1", stats(worker), "the late request never ran");
            assertEquals(1, worker.metrics().counter("requests.rejected.queue-timeout").getCount());
        }
    }

    /**
     * The queue of a route's share (sync, 2 threads: /query runs on one), the sync pool's own queue (1 thread, no
     * shares) and the async kind's executor queue (1 thread).
     */
    @ParameterizedTest
    @CsvSource({"sync, 2, 0.5", "sync, 1, 1", "async, 2, 0.5"})
    void queuedRequestsOfGoneClientsNeverRunAndTheNextRequestIsServed(String kind, int threads, String share)
            throws Exception {
        var settings = Wars.settings(kind, List.of(app("slowdb")), "warhorse.threads", "" + threads,
                "warhorse.queue", "30", "warhorse.async.threads", "1", "warhorse.worker-connections", "60",
                "warhorse.limits.route-share", share, "warhorse.limits.queue-timeout", "60s");
        try (RunningWorker worker = RunningWorker.start(settings)) {
            var busy = occupyTheThread(worker, kind, 2000);
            for (int i = 0; i < 20; i++) {
                sendAndHangUp(worker.port(), "/slowdb/query?ms=1000&via=sleep");
            }
            assertEquals(200, busy.join().statusCode());
            Deadline.within(Duration.ofSeconds(20),
                    () -> worker.metrics().counter("requests.dropped.client-gone").getCount() == 20);
            HttpResponse<String> next = Http.get(worker.uri("/slowdb/query?ms=0"));
            assertEquals(200, next.statusCode(), "served after the overload: " + next.body());
            assertEquals("queries 2", stats(worker), "only the first and the last query ran");
        }
    }

    /**
     * A standing queue on the one request thread of the sync pool and of the async executor: ten requests queue
     * behind a slow one. When it ends, the first of them has waited past the target (50 ms) and begins an episode
     * of late starts, so it runs; it sleeps 5 ms, longer than the interval (1 ms), so from the second on the queue
     * has stood an interval and each is 503 without running. The next request finds the queue empty and runs.
     */
    @ParameterizedTest
    @CsvSource({"sync", "async"})
    void whileTheQueueStandsOldRequestsAre503AndAFreshOneRuns(String kind) throws Exception {
        var settings = Wars.settings(kind, List.of(app("slowdb")), "warhorse.threads", "1", "warhorse.queue", "30",
                "warhorse.async.threads", "1", "warhorse.limits.route-share", "1", "warhorse.limits.queue-timeout", "60s",
                "warhorse.limits.standing-queue.target", "50ms", "warhorse.limits.standing-queue.interval", "1ms");
        try (RunningWorker worker = RunningWorker.start(settings)) {
            var busy = occupyTheThread(worker, kind, 1000);
            List<CompletableFuture<HttpResponse<String>>> old = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                old.add(Http.CLIENT.sendAsync(HttpRequest.newBuilder(worker.uri("/slowdb/query?via=sleep&ms=5"))
                        .timeout(Http.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()));
            }
            Deadline.within(Duration.ofSeconds(10), () -> worker.metrics().counter("requests.active").getCount() == 11);
            assertEquals(200, busy.join().statusCode());
            List<HttpResponse<String>> answers = old.stream().map(CompletableFuture::join).toList();
            List<HttpResponse<String>> shed = answers.stream().filter(answer -> answer.statusCode() == 503).toList();
            assertEquals(9, shed.size(), "all but the first of the queued requests: " + answers);
            assertTrue(shed.getFirst().body().contains("limits.standing-queue"), shed.getFirst().body());
            assertEquals("1", shed.getFirst().headers().firstValue("Retry-After").orElse(""));
            assertEquals(9, worker.metrics().counter("requests.rejected.standing-queue").getCount());
            assertEquals(0, worker.metrics().counter("requests.rejected.queue-timeout").getCount());
            HttpResponse<String> fresh = Http.get(worker.uri("/slowdb/query?ms=0"));
            assertEquals(200, fresh.statusCode(), fresh.body());
            assertEquals("queries 3", stats(worker), "the slow one, the first queued one and the fresh one ran");
        }
    }

    /** Starts /query?ms=N on the one request thread /query may use, and waits until it runs. */
    private static CompletableFuture<HttpResponse<String>> occupyTheThread(RunningWorker worker, String kind, int ms)
            throws Exception {
        var busy = Http.CLIENT.sendAsync(HttpRequest.newBuilder(worker.uri("/slowdb/query?via=sleep&ms=" + ms))
                .timeout(Http.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        Gauge<?> active = worker.metrics().getGauges().get("worker." + kind + ".active");
        Deadline.within(Duration.ofSeconds(10), () -> ((Integer) active.getValue()) == 1);
        return busy;
    }

    /** A client that sends its request and gives up at once, closing the connection. */
    private static void sendAndHangUp(int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    private static String stats(RunningWorker worker) throws Exception {
        return Http.get(worker.uri("/slowdb/stats")).body().strip();
    }
}
