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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What each kind does with many slow requests at once: the virtual kind runs them all, the sync kind runs
 * {@code threads} and refuses the overflow at once, the async kind runs them all on a couple of threads.
 */
class ConcurrencyTest {

    private static final int REQUESTS = 1000;

    @Test
    void virtualWorkerCompletes1000ConcurrentBlockingQueriesUnder2Seconds() throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings("virtual", List.of(app("slowdb"))))) {
            warmUp(worker, "/slowdb/query?ms=1");
            long start = System.nanoTime();
            List<HttpResponse<String>> responses = Http.concurrentGets(worker.uri("/slowdb/query?ms=200"), REQUESTS, Duration.ofSeconds(20));
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("virtual kind: %d concurrent 200 ms blocking queries in %d ms%n", REQUESTS, wall.toMillis());
            assertEquals(Map.of(200, (long) REQUESTS), statuses(responses));
            assertTrue(wall.compareTo(Duration.ofSeconds(2)) < 0, "1000 x 200 ms took " + wall.toMillis() + " ms");
        }
    }

    @Test
    void syncWorkerWith16ThreadsCannotAndAnswersTheOverflow503AtOnce() throws Exception {
        Settings settings = Wars.settings("sync", List.of(app("slowdb")), "warhorse.threads", "16", "warhorse.queue", "64");
        try (RunningWorker worker = RunningWorker.start(settings)) {
            warmUp(worker, "/slowdb/query?ms=1");
            long start = System.nanoTime();
            List<HttpResponse<String>> responses = Http.concurrentGets(worker.uri("/slowdb/query?ms=200"), REQUESTS, Duration.ofSeconds(20));
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            Map<Integer, Long> statuses = statuses(responses);
            System.out.printf("sync kind, 16 threads + 64 queued: %s in %d ms%n", statuses, wall.toMillis());
            assertTrue(statuses.getOrDefault(200, 0L) < REQUESTS, "16 threads cannot run 1000 x 200 ms at once: " + statuses);
            assertEquals(REQUESTS, statuses.getOrDefault(200, 0L) + statuses.getOrDefault(503, 0L), statuses.toString());
            assertTrue(statuses.getOrDefault(200, 0L) >= 16 + 64, "threads + queue must be served: " + statuses);
            assertTrue(wall.compareTo(Duration.ofSeconds(10)) < 0, "the overflow must not wait: " + wall.toMillis() + " ms");
        }
    }

    @Test
    void fullSyncQueueGives503WithRetryAfterAtOnce() throws Exception {
        Settings settings = Wars.settings("sync", List.of(app("slowdb")), "warhorse.threads", "2", "warhorse.queue", "2");
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
    void asyncWorkerCompletes1000ConcurrentAsyncRequestsOnItsFewThreads() throws Exception {
        Settings settings = Wars.settings("async", List.of(app("async")), "warhorse.async.threads", "2");
        try (RunningWorker worker = RunningWorker.start(settings)) {
            warmUp(worker, "/async/async?ms=1");
            // the warm-up's first requests initialise the servlet and load classes on an async thread, which the
            // watchdog rightly reports; the measured round must add nothing
            long blockedBefore = worker.metrics().counter("worker.async.watchdog.blocked").getCount();
            long start = System.nanoTime();
            var responses = Http.concurrentGets(worker.uri("/async/async?ms=200"), REQUESTS, Duration.ofSeconds(20));
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("async kind: %d concurrent 200 ms AsyncContext requests in %d ms%n", REQUESTS, wall.toMillis());
            assertEquals(Map.of(200, (long) REQUESTS), statuses(responses));
            assertTrue(wall.compareTo(Duration.ofSeconds(2)) < 0, "1000 x 200 ms async took " + wall.toMillis() + " ms");
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
