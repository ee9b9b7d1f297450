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
     * A standing queue on the one request thread of the sync pool and of the async executor: 60 requests of 20 ms
     * arrive at once, 1.2 s of work. The first ones run; once requests have started late (past the 50 ms target)
     * for longer than four run times (the interval, 1 ms, is shorter: a queue that drains within a few runs is a
     * burst), the queue stands, and the rest are 503 at once without running. The next request finds the queue empty
     * and runs. (A single slow request with ten short ones queued behind it is such a burst: none is shed.)
     */
    @ParameterizedTest
    @CsvSource({"sync", "async"})
    void whileTheQueueStandsOldRequestsAre503AndAFreshOneRuns(String kind) throws Exception {
        var settings = Wars.settings(kind, List.of(app("slowdb")), "warhorse.threads", "1", "warhorse.queue", "100",
                "warhorse.async.threads", "1", "warhorse.limits.route-share", "1", "warhorse.limits.queue-timeout", "60s",
                "warhorse.limits.standing-queue.target", "50ms", "warhorse.limits.standing-queue.interval", "1ms");
        try (RunningWorker worker = RunningWorker.start(settings)) {
            var busy = occupyTheThread(worker, kind, 300);
            List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                queued.add(Http.CLIENT.sendAsync(HttpRequest.newBuilder(worker.uri("/slowdb/query?via=sleep&ms=5"))
                        .timeout(Http.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()));
            }
            assertEquals(200, busy.join().statusCode());
            assertTrue(queued.stream().map(CompletableFuture::join).allMatch(answer -> answer.statusCode() == 200),
                    "ten short requests behind one slow one drain in a few run times: a burst, not shed");
            assertEquals(0, worker.metrics().counter("requests.rejected.standing-queue").getCount());

            List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                flood.add(Http.CLIENT.sendAsync(HttpRequest.newBuilder(worker.uri("/slowdb/query?via=sleep&ms=20"))
                        .timeout(Http.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()));
            }
            List<HttpResponse<String>> answers = flood.stream().map(CompletableFuture::join).toList();
            List<HttpResponse<String>> shed = answers.stream().filter(answer -> answer.statusCode() == 503).toList();
            long served = answers.stream().filter(answer -> answer.statusCode() == 200).count();
            assertEquals(60, served + shed.size(), "every request got 200 or 503: " + answers);
            assertTrue(shed.size() >= 30, shed.size() + " shed of 60: the standing queue was not cut short");
            assertTrue(shed.getFirst().body().contains("limits.standing-queue"), shed.getFirst().body());
            assertEquals("1", shed.getFirst().headers().firstValue("Retry-After").orElse(""));
            assertEquals(shed.size(), worker.metrics().counter("requests.rejected.standing-queue").getCount());
            assertEquals(0, worker.metrics().counter("requests.rejected.queue-timeout").getCount());
            HttpResponse<String> fresh = Http.get(worker.uri("/slowdb/query?ms=0"));
            assertEquals(200, fresh.statusCode(), fresh.body());
            assertEquals("queries " + (1 + 10 + served + 1), stats(worker), "the shed requests never ran");
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
