package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.config.Settings;
import io.warhorse.core.testing.RunningWorker;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What each kind does with many slow requests at once: the virtual kind runs them all, the sync kind runs
 * {@code threads} and refuses the overflow at once, the async kind runs them all on a couple of threads.
 */
class ConcurrencyTest {

    private static final int REQUESTS = 1000;
    /** With "1": one route may take the whole worker, as these tests are about the kinds' own caps, not route shares. */
    private static final String ROUTE_SHARE = "warhorse.limits.route-share";

    @Test
    void virtualWorkerRuns1000BlockingQueriesAllAtOnce() throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings("virtual", List.of(app("slowdb")), ROUTE_SHARE, "1"))) {
            List<HttpResponse<String>> responses = allInFlightAtOnce(worker, "/slowdb/query?ms=8000");
            assertEquals(Map.of(200, (long) REQUESTS), statuses(responses));
        }
    }

    /**
     * Sends {@code REQUESTS} requests at once and waits until the worker has every one of them in flight together
     * (what concurrency means, whatever the machine's speed), then for their answers.
     */
    private static List<HttpResponse<String>> allInFlightAtOnce(RunningWorker worker, String path) throws Exception {
        CompletableFuture<List<HttpResponse<String>>> responses = CompletableFuture.supplyAsync(() -> {
            try {
                return Http.concurrentGets(worker.uri(path), REQUESTS, Duration.ofSeconds(60));
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        io.warhorse.it.Deadline.within(Duration.ofSeconds(30), () -> responses.isDone()
                || worker.metrics().counter("requests.active").getCount() >= REQUESTS);
        assertEquals(REQUESTS, worker.metrics().counter("requests.active").getCount(), "all in flight together");
        return responses.get(60, TimeUnit.SECONDS);
    }

    @Test
    void syncWorkerWith16ThreadsCannotAndAnswersTheOverflow503() throws Exception {
        Settings settings = Wars.settings("sync", List.of(app("slowdb")), "warhorse.threads", "16", "warhorse.queue", "64", ROUTE_SHARE, "1");
        try (RunningWorker worker = RunningWorker.start(settings)) {
            warmUp(worker, "/slowdb/query?ms=1");
            List<HttpResponse<String>> responses = Http.concurrentGets(worker.uri("/slowdb/query?ms=200"), REQUESTS, Duration.ofSeconds(20));
            Map<Integer, Long> statuses = statuses(responses);
            assertTrue(statuses.getOrDefault(200, 0L) < REQUESTS, "16 threads cannot run 1000 x 200 ms at once: " + statuses);
            assertEquals(REQUESTS, statuses.getOrDefault(200, 0L) + statuses.getOrDefault(503, 0L), statuses.toString());
            assertTrue(statuses.getOrDefault(200, 0L) >= 16 + 64, "threads + queue must be served: " + statuses);
            assertTrue(responses.stream().filter(response -> response.statusCode() == 503)
                    .allMatch(response -> response.headers().firstValue("Retry-After").isPresent()), "the overflow is refused, not queued");
        }
    }

    @Test
    void fullSyncQueueGives503WithRetryAfterAtOnce() throws Exception {
        Settings settings = Wars.settings("sync", List.of(app("slowdb")), "warhorse.threads", "2", "warhorse.queue", "2", ROUTE_SHARE, "1");
        try (RunningWorker worker = RunningWorker.start(settings)) {
            warmUp(worker, "/slowdb/query?ms=1");
            long start = System.nanoTime();
            var responses = Http.concurrentGets(worker.uri("/slowdb/query?ms=1500"), 10, Duration.ofSeconds(20));
            assertEquals(Map.of(200, 4L, 503, 6L), statuses(responses), "2 running + 2 queued served, 6 refused");
            for (var response : responses) {
                if (response.statusCode() == 503) {
                    assertTrue(response.headers().firstValue("Retry-After").isPresent(), response.headers().toString());
                }
            }
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 2 * 1500 - 100, "queued requests ran after the first two");
        }
    }

    @Test
    void asyncWorkerRuns1000AsyncRequestsAllAtOnceOnItsFewThreads() throws Exception {
        // a threshold far above the 100 ms default: on a loaded machine a starved thread is not a blocking task
        Settings settings = Wars.settings("async", List.of(app("async")), "warhorse.async.threads", "2",
                "warhorse.async.watchdog-threshold", "2s", ROUTE_SHARE, "1");
        try (RunningWorker worker = RunningWorker.start(settings)) {
            warmUp(worker, "/async/async?ms=1");
            // the warm-up's first requests initialise the servlet and load classes on an async thread, which the
            // watchdog rightly reports; the measured round must add nothing
            long blockedBefore = worker.metrics().counter("worker.async.watchdog.blocked").getCount();
            var responses = allInFlightAtOnce(worker, "/async/async?ms=8000");
            assertEquals(Map.of(200, (long) REQUESTS), statuses(responses));
            long requestThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().matches("async-\\d+")).count();
            assertTrue(requestThreads <= 2, "async kind was given 2 request threads, has " + requestThreads);
            assertEquals(blockedBefore, worker.metrics().counter("worker.async.watchdog.blocked").getCount(),
                    "async work that does not block must not trip the watchdog");
        }
    }

    /** One full round first, so the measured round sees a warm JIT and warm pools on both sides, as a server would. */
    static void warmUp(RunningWorker worker, String path) throws Exception {
        Http.concurrentGets(worker.uri(path), REQUESTS, Duration.ofSeconds(20));
    }

    static Map<Integer, Long> statuses(List<HttpResponse<String>> responses) {
        return responses.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
    }
}
