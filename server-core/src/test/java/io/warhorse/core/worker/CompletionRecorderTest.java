package io.warhorse.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.undertow.server.HttpServerExchange;
import io.warhorse.core.metrics.RequestInstrumentation;
import io.warhorse.core.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Completed requests handed to the recorder from many threads are all recorded: by its own thread while it runs
 * (and after it has slept through a quiet spell), by {@code close()} for what is still queued, and by the adding
 * thread once it is closed.
 */
class CompletionRecorderTest {

    @Test
    void everyCompletionIsRecordedBeforeCloseReturnsAndAfterItInline() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        CompletionRecorder recorder = new CompletionRecorder(new RequestInstrumentation(registry), null);
        int threads = 4;
        int each = 25_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> adders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            adders.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    HttpServerExchange exchange = new HttpServerExchange(null);
                    exchange.setStatusCode(i % 2 == 0 ? 200 : 503);
                    recorder.add(exchange, System.nanoTime(), System.currentTimeMillis());
                }
            }));
        }
        go.countDown();
        // the recorder's thread records while they add; then close, likely while they are still adding:
        // whatever they add, before or after, is recorded
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.meter("responses.2xx").getCount() == 0) {
            assertTrue(System.nanoTime() < end, "the recorder's thread recorded nothing within 10 s");
            Thread.onSpinWait();
        }
        recorder.close();
        for (Thread adder : adders) {
            assertTrue(adder.join(java.time.Duration.ofSeconds(30)), "adder finished");
        }
        assertEquals((long) threads * each / 2, registry.meter("responses.2xx").getCount());
        assertEquals((long) threads * each / 2, registry.meter("responses.503").getCount());

        HttpServerExchange late = new HttpServerExchange(null);
        late.setStatusCode(404);
        recorder.add(late, System.nanoTime(), System.currentTimeMillis());
        assertEquals(1, registry.meter("responses.4xx").getCount(), "after close, recorded by the thread that adds it");
    }

    @Test
    void anIdleRecorderSleepsUntilTheNextCompletionWakesIt() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        CompletionRecorder recorder = new CompletionRecorder(new RequestInstrumentation(registry), null);
        try {
            for (int round = 1; round <= 3; round++) {
                Eventually.within(Duration.ofSeconds(10), "the recorder sleeps after 100 ms with nothing to record",
                        recorder::asleep);
                recorder.add(new HttpServerExchange(null), System.nanoTime(), System.currentTimeMillis());
                long recorded = round;
                Eventually.within(Duration.ofSeconds(10),
                        "a completion after a quiet spell is recorded by the recorder's own thread, not left queued",
                        () -> registry.meter("responses.2xx").getCount() == recorded);
            }
        } finally {
            recorder.close();
        }
    }

    @Test
    void aFailureToRecordOneRequestDoesNotStopTheRecordingOfTheNext() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        RequestInstrumentation timing = new RequestInstrumentation(registry);
        CompletionRecorder recorder = new CompletionRecorder(timing, null);
        recorder.add(null, 0, 0); // NullPointerException when recorded
        HttpServerExchange exchange = new HttpServerExchange(null);
        recorder.add(exchange, System.nanoTime(), System.currentTimeMillis());
        Eventually.within(Duration.ofSeconds(10), "recorded by the recorder's own thread",
                () -> registry.meter("responses.2xx").getCount() > 0);
        recorder.close();
        assertEquals(1, registry.meter("responses.2xx").getCount());
    }
}
