package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.warhorse.core.spi.Offload;
import io.warhorse.core.spi.Place;
import io.warhorse.core.testing.RunningWorker;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The cooperative kinds defend themselves: on async, a route whose requests block its threads moves to virtual
 * threads, and another route is served while the moved one is saturated, and a route whose requests compute moves
 * to its platform pool, which serves connections in turn; on virtual, connections are served in turn while every
 * carrier computes, and a CPU-bound route moves to the
 * platform pool, a cheap route is served beside it, and once its requests stop computing it moves back; a pin
 * places a route; requests on virtual threads reuse the worker's buffers; {@code offload.enabled = false} stops the
 * moves. Each waits on conditions with deadlines, never on a clock.
 */
class OffloadTest {

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger offloadLogger = (Logger) LoggerFactory.getLogger(Offload.class);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void captureLog() {
        log.start();
        offloadLogger.addAppender(log);
    }

    @AfterEach
    void release() {
        offloadLogger.detachAppender(log);
        client.close();
    }

    @Test
    void asyncKindMovesABlockingRouteToVirtualThreadsAndServesAnotherRouteBesideIt() throws Exception {
        var settings = Wars.settings("async", List.of(app("slowdb")), "warhorse.async.threads", "2");
        try (RunningWorker worker = RunningWorker.start(settings)) {
            // two hold both threads and count as one strike (caught together); the next two, the second strike
            List<CompletableFuture<HttpResponse<String>>> first = send(worker.uri("/slowdb/query?ms=600&via=sleep"), 4);
            Deadline.within(Duration.ofSeconds(20), () -> moved(worker) == 1);
            String report = movedLine();
            assertTrue(report.contains("route /query") && report.contains("virtual threads") && report.contains("Thread.sleep"), report);
            assertEquals(Place.VIRTUAL.ordinal(), worker.metrics().getGauges().get("route.moved|/slowdb|/query").getValue());

            List<CompletableFuture<HttpResponse<String>>> later = send(worker.uri("/slowdb/query?ms=4000&via=sleep"), 6);
            Deadline.within(Duration.ofSeconds(20), () -> first.stream().allMatch(CompletableFuture::isDone)
                    && (int) worker.metrics().getGauges().get("worker.async.virtual").getValue() == 6);
            assertEquals(200, Http.get(worker.uri("/slowdb/health")).statusCode());
            assertTrue(later.stream().noneMatch(CompletableFuture::isDone),
                    "the health check was answered while all six blocking requests ran, not behind them");
            assertEquals(1, moved(worker));
        }
    }

    @Test
    void asyncKindMovesAComputingRouteToItsPlatformPoolWhereEveryConnectionIsServedInTurn() throws Exception {
        var settings = Wars.settings("async", List.of(app("cpu"), app("slowdb")), "warhorse.async.threads", "2");
        try (RunningWorker worker = RunningWorker.start(settings)) {
            Deadline.within(Duration.ofSeconds(30), () -> { // two at a time hold both threads: one strike a round
                for (var done : send(worker.uri("/cpu/cpu?n=3000000"), 2)) {
                    assertEquals(200, done.join().statusCode());
                }
                return moved(worker) == 1;
            });
            String report = movedLine();
            assertTrue(report.contains("route /cpu") && report.contains("computing") && report.contains("platform threads")
                    && report.contains("Burn"), report);
            assertEquals(Place.PLATFORM.ordinal(), worker.metrics().getGauges().get("route.moved|/cpu|/cpu").getValue());

            // more connections than the pool's threads, each asking again as soon as it is answered: virtual threads
            // (where this route went before) left some of 16 connections unanswered for whole 10 s runs of bench S4
            int cores = Runtime.getRuntime().availableProcessors();
            AtomicBoolean healthAnswered = new AtomicBoolean();
            int[] answered = askInTurn(worker.port(), "/cpu/cpu?n=300000", 3 * cores + 2, 12, healthAnswered::get, () -> {
                Deadline.within(Duration.ofSeconds(20), () -> (int) worker.metrics().getGauges().get("worker.async.platform.active").getValue() == cores);
                assertEquals(200, Http.get(worker.uri("/slowdb/health")).statusCode(), "the async threads stay free");
                healthAnswered.set(true);
            });
            assertInTurn(answered, "the pool's queue is first come, first served");
            assertEquals(1, moved(worker));
        }
    }

    @Test
    void virtualKindMovesACpuBoundRouteToThePlatformPoolAndServesACheapRouteBesideIt() throws Exception {
        var settings = Wars.settings("virtual", List.of(app("cpu"), app("slowdb")));
        try (RunningWorker worker = RunningWorker.start(settings)) {
            Deadline.within(Duration.ofSeconds(30), () -> {
                for (var done : send(worker.uri("/cpu/cpu?n=300000"), 4)) {
                    assertEquals(200, done.join().statusCode());
                }
                return moved(worker) == 1;
            });
            String report = movedLine();
            assertTrue(report.contains("route /cpu") && report.contains("platform threads") && report.contains("Burn"), report);
            assertTrue(worker.metrics().counter("worker.virtual.cpu-bound").getCount() >= 2);

            int cores = Runtime.getRuntime().availableProcessors();
            List<CompletableFuture<HttpResponse<String>>> heavy = send(worker.uri("/cpu/cpu?n=5000000"), 4 * cores);
            Deadline.within(Duration.ofSeconds(20), () -> (int) worker.metrics().getGauges().get("worker.virtual.platform.active").getValue() == cores);
            assertEquals(200, Http.get(worker.uri("/slowdb/health")).statusCode());
            assertTrue(heavy.stream().noneMatch(CompletableFuture::isDone),
                    "the cheap route was answered while every CPU-bound request still ran or waited, not behind them");
            assertEquals(1, moved(worker), "only the CPU-bound route moved");
            assertNull(worker.metrics().getGauges().get("route.moved|/slowdb|/health"));

            for (var done : heavy) { // then its requests stop computing: measured on the pool, it moves back
                assertEquals(200, done.get(60, TimeUnit.SECONDS).statusCode());
            }
            var place = worker.metrics().getGauges().get("route.moved|/cpu|/cpu");
            for (int i = 0; i < 3 * 20 && (int) place.getValue() != Place.KIND.ordinal(); i++) {
                assertEquals(200, Http.get(worker.uri("/cpu/cpu?n=0")).statusCode());
            }
            // the verdict follows the answer of the request that completes a window by a moment, and its log line
            // follows the gauge (the route's place changes first)
            Deadline.within(Duration.ofSeconds(10), () -> (int) place.getValue() == Place.KIND.ordinal()
                    && logged().stream().anyMatch(m -> m.contains("ROUTE MOVED BACK")));
        }
    }

    @Test
    void virtualKindServesEveryConnectionInTurnWhileEveryCarrierComputes() throws Exception {
        // a route cheaper than offload.cpu-threshold stays on virtual threads, and more connections than carriers
        // keep them all busy: requests start in the order they came, not by the I/O thread that read them
        var settings = Wars.settings("virtual", List.of(app("cpu")));
        try (RunningWorker worker = RunningWorker.start(settings)) {
            int cores = Runtime.getRuntime().availableProcessors();
            int[] answered = askInTurn(worker.port(), "/cpu/cpu?n=10000", 6 * cores + 4, 150, () -> true, () -> {});
            assertInTurn(answered, "virtual threads started from two I/O threads are taken in the order they came");
        }
    }

    @Test
    void aPinnedRouteRunsWhereTheConfigSays() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        var settings = Wars.settings("virtual", List.of(app("slowdb")),
                "warhorse.offload.routes", "[{ path = \"/query\", run-on = platform }]", "warhorse.offload.platform-queue", "0");
        try (RunningWorker worker = RunningWorker.start(settings)) {
            assertEquals(Place.PLATFORM.ordinal(), worker.metrics().getGauges().get("route.pinned|/slowdb|/query").getValue());
            List<CompletableFuture<HttpResponse<String>>> slow = send(worker.uri("/slowdb/query?ms=3000&via=sleep"), cores + 1);
            Deadline.within(Duration.ofSeconds(10), () -> slow.stream().anyMatch(CompletableFuture::isDone));
            List<Integer> answered = slow.stream().filter(CompletableFuture::isDone).map(f -> f.join().statusCode()).toList();
            assertEquals(List.of(503), answered, "one thread per core and no queue: the one over is refused at once");
            assertEquals(200, Http.get(worker.uri("/slowdb/health")).statusCode(), "other routes stay on virtual threads");
            assertEquals(0, moved(worker));
        }
    }

    @Test
    void requestsOnVirtualThreadsReuseTheWorkersBuffers() throws Exception {
        var settings = Wars.settings("async", List.of(app("slowdb")),
                "warhorse.offload.routes", "[{ path = \"/query\", run-on = virtual }]");
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
        try (RunningWorker worker = RunningWorker.start(settings)) {
            URI query = worker.uri("/slowdb/query?ms=0&via=sleep");
            assertEquals(200, Http.get(query).statusCode());
            long before = direct.getCount();
            for (int i = 0; i < 200; i++) {
                assertEquals(200, Http.get(query).statusCode());
            }
            long grown = direct.getCount() - before;
            assertTrue(grown < 20, "200 requests, each on a new virtual thread, allocated " + grown
                    + " new direct buffers: buffers returned on a virtual thread must go back to the shared pool");
        }
    }

    @Test
    void withMovingOffABlockingRouteIsReportedButStays() throws Exception {
        var settings = Wars.settings("async", List.of(app("slowdb")), "warhorse.async.threads", "2",
                "warhorse.offload.enabled", "false", "warhorse.offload.strikes", "1");
        try (RunningWorker worker = RunningWorker.start(settings)) {
            send(worker.uri("/slowdb/query?ms=600&via=sleep"), 2);
            Deadline.within(Duration.ofSeconds(20), () -> worker.metrics().counter("worker.async.watchdog.blocked").getCount() == 2);
            assertEquals(0, moved(worker));
            assertFalse(logged().stream().anyMatch(m -> m.contains("ROUTE MOVED")));
            assertNull(worker.metrics().getGauges().get("route.moved|/slowdb|/query"));
        }
    }

    /**
     * {@code connections} keep-alive connections, each on a platform thread of its own (not a virtual thread, which
     * would compete with an in-process worker's for the carriers), asking {@code path} again as soon as it is
     * answered, until {@code done} says so and they have {@code each} answers apiece on average; {@code meanwhile}
     * runs while they ask. Returns the answers of each connection.
     */
    private static int[] askInTurn(int port, String path, int connections, int each, BooleanSupplier done,
                                   ThrowingRunnable meanwhile) throws Exception {
        int[] answered = new int[connections];
        AtomicInteger total = new AtomicInteger();
        BooleanSupplier enough = () -> done.getAsBoolean() && total.get() >= each * connections;
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory())) {
            for (int i = 0; i < connections; i++) {
                int me = i;
                clients.add(CompletableFuture.runAsync(() -> ask(port, path, answered, me, total, enough), threads));
            }
            meanwhile.run();
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
        return answered;
    }

    /** Fails unless the connection answered least had at least half the answers of the one answered most. */
    private static void assertInTurn(int[] answered, String why) {
        int fewest = Arrays.stream(answered).min().orElseThrow();
        int most = Arrays.stream(answered).max().orElseThrow();
        assertTrue(fewest * 2 >= most, "answers per connection " + Arrays.toString(answered) + ": " + why);
    }

    /** One connection of {@link #askInTurn}. */
    private static void ask(int port, String path, int[] answered, int me, AtomicInteger total, BooleanSupplier done) {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            while (!done.getAsBoolean()) {
                socket.getOutputStream().write(request);
                assertEquals("200", Response.read(in).status());
                answered[me]++;
                total.incrementAndGet();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@link #askInTurn} runs while the connections ask. */
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private List<CompletableFuture<HttpResponse<String>>> send(URI uri, int count) {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        return sent;
    }

    private String movedLine() {
        return logged().stream().filter(m -> m.contains("ROUTE MOVED"))
                .findFirst().orElseThrow(() -> new AssertionError("no ROUTE MOVED line"));
    }

    /** The lines logged so far: the appender adds them on the worker's threads, holding its own lock. */
    private List<String> logged() {
        synchronized (log) {
            return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** Routes moved; the log line and the gauge come before the count. */
    private static long moved(RunningWorker worker) {
        return worker.metrics().counter(Offload.MOVED).getCount();
    }
}
