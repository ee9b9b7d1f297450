package io.warhorse.worker.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.server.HttpServerExchange;
import io.warhorse.core.spi.Dispatches;
import io.warhorse.core.spi.Route;
import io.warhorse.core.spi.SharedWork;
import io.warhorse.core.spi.TestRoutes;
import io.warhorse.core.spi.ThreadCpu;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The platform refuge judges routes by the CPU time their requests really used on its thread: a route whose
 * requests wait (however long) does not hold carriers, one whose requests (half of them at least) compute past the
 * threshold does, and a
 * session store's batch run for other requests is not counted. A route on trial is refused when no thread is free.
 * Asserts on CPU time used, never on how long anything took.
 */
class PlatformRefugeTest {

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
    private final List<String> verdicts = new CopyOnWriteArrayList<>();
    private final PlatformRefuge refuge = new PlatformRefuge(pool, Duration.ofMillis(2),
            (route, holds, evidence) -> verdicts.add(route.mappings().getFirst() + " " + holds + ": " + evidence));

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void judgesEveryTwentyRequestsByTheCpuTheyUsed() throws Exception {
        Route report = TestRoutes.of("/report");
        Route cpu = TestRoutes.of("/cpu");
        run(report, PlatformRefuge.REQUESTS - 1, () -> sleep(5));
        assertTrue(verdicts.isEmpty(), "not before " + PlatformRefuge.REQUESTS + " requests");
        run(report, 1, () -> sleep(5));
        run(cpu, PlatformRefuge.REQUESTS / 2, () -> burn(0));
        run(cpu, PlatformRefuge.REQUESTS / 2, () -> burn(3));
        run(cpu, PlatformRefuge.REQUESTS / 2 + 1, () -> burn(0));
        run(cpu, PlatformRefuge.REQUESTS / 2 - 1, () -> burn(3));
        assertEquals(3, verdicts.size(), verdicts.toString());
        assertTrue(verdicts.get(0).startsWith("/report false: on a platform thread, "), verdicts.get(0));
        assertTrue(verdicts.get(1).startsWith("/cpu true: on a platform thread, "), "half of them: " + verdicts.get(1));
        assertTrue(verdicts.get(2).startsWith("/cpu false: on a platform thread, "), "fewer than half: " + verdicts.get(2));
    }

    @Test
    void cpuSpentWorkingForOtherRequestsIsNotTheRoutes() throws Exception {
        run(TestRoutes.of("/read"), PlatformRefuge.REQUESTS, () -> SharedWork.run(() -> burn(3)));
        assertEquals(1, verdicts.size());
        assertTrue(verdicts.getFirst().startsWith("/read false: on a platform thread, "), verdicts.getFirst());
    }

    @Test
    void aRequestShedBeforeItRanIsNotCounted() throws Exception {
        run(TestRoutes.of("/gone"), PlatformRefuge.REQUESTS, () -> { }); // through dispatch: counted
        Route gone = TestRoutes.of("/shed");
        for (int i = 0; i < PlatformRefuge.REQUESTS; i++) {
            refuge.execute(gone, () -> { }); // never reached the app's thread setup: dropped by queue shedding
        }
        run(TestRoutes.of("/marker"), PlatformRefuge.REQUESTS, () -> { });
        assertEquals(List.of("/gone false", "/marker false"), verdicts.stream().map(v -> v.substring(0, v.indexOf(':'))).toList());
    }

    @Test
    void aRouteOnTrialIsRefusedWhenNoThreadIsFree() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        Route moved = TestRoutes.of("/moved");
        refuge.execute(moved, () -> {
            held.countDown();
            awaitQuietly(hold);
        });
        assertTrue(held.await(10, TimeUnit.SECONDS));
        assertThrows(RejectedExecutionException.class, () -> refuge.execute(TestRoutes.onTrial("/tried"), () -> { }));
        hold.countDown();
    }

    /** Runs {@code count} requests of {@code route} one after another, each to its end and its account. */
    private void run(Route route, int count, Runnable body) throws Exception {
        for (int i = 0; i < count; i++) {
            refuge.execute(route, () -> dispatch(body));
            pool.submit(() -> { }).get(10, TimeUnit.SECONDS); // one thread, in order: the request and its account ran
        }
    }

    /** As Undertow runs a request: through the deployment's thread setup actions, where requests are counted. */
    private static void dispatch(Runnable body) {
        try {
            new Dispatches().create((exchange, context) -> {
                body.run();
                return null;
            }).call(new HttpServerExchange(null), null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Computes until this thread has used {@code millis} of CPU time (0: a little). */
    private static void burn(long millis) {
        long until = ThreadCpu.current() + millis * 1_000_000;
        long x = 0;
        do {
            for (int i = 0; i < 1000; i++) {
                x += i * 31L ^ (x >>> 3);
            }
        } while (ThreadCpu.current() < until);
        if (x == 42) {
            System.out.println(x);
        }
    }
}
