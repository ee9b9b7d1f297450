package io.warhorse.core.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Group commit: each caller gets its own result, from whichever thread ran its batch; failures stay in their batch. */
class CombinerTest {

    /** A job that doubles its number. */
    private static final class Double extends Combiner.Job<Integer> {
        final int number;

        Double(int number) {
            this.number = number;
        }
    }

    @ParameterizedTest(name = "gathering {0}")
    @ValueSource(booleans = {false, true})
    void everyCallerGetsItsOwnResultAndConcurrentCallersShareBatches(boolean gathers) throws Exception {
        AtomicInteger batches = new AtomicInteger();
        AtomicInteger largest = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        Combiner<Double> combiner = new Combiner<>(batch -> {
            assertEquals(1, running.incrementAndGet(), "one batch at a time");
            batches.incrementAndGet();
            largest.accumulateAndGet(batch.size(), Math::max);
            Thread.yield(); // let callers queue up meanwhile, as a round trip would
            batch.forEach(job -> job.complete(job.number * 2));
            running.decrementAndGet();
        }, 64, gathers);
        int threads = 32;
        int each = 300;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * each;
                results.add(pool.submit(() -> {
                    start.await();
                    for (int n = first; n < first + each; n++) {
                        if (combiner.run(new Double(n)) != n * 2) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            start.countDown();
            for (Future<Boolean> result : results) {
                assertTrue(result.get(60, TimeUnit.SECONDS), "a caller got another's result");
            }
        }
        assertTrue(batches.get() < threads * each, "no batch carried more than one job: " + batches.get());
        assertTrue(largest.get() <= 64, "a batch is capped");
    }

    @Test
    void aRunnerThatThrowsFailsTheJobsItLeftOpenAndTheNextBatchRunsAgain() {
        RuntimeException broken = new IllegalStateException("store down");
        AtomicInteger calls = new AtomicInteger();
        Combiner<Double> combiner = new Combiner<>(batch -> {
            if (calls.incrementAndGet() == 1) {
                throw broken;
            }
            batch.forEach(job -> job.complete(job.number * 2));
        }, 8, false);
        assertSame(broken, assertThrows(IllegalStateException.class, () -> combiner.run(new Double(1))));
        assertEquals(4, combiner.run(new Double(2)));
    }

    @Test
    void anInterruptedCallerStillGetsItsResultAndKeepsItsInterrupt() throws Exception {
        CountDownLatch inBatch = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Combiner<Double> combiner = new Combiner<>(batch -> {
            inBatch.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            batch.forEach(job -> job.complete(job.number * 2));
        }, 8, false);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> leader = pool.submit(() -> combiner.run(new Double(1)));
            assertTrue(inBatch.await(30, TimeUnit.SECONDS));
            AtomicInteger flag = new AtomicInteger();
            Thread waiter = Thread.ofVirtual().start(() -> {
                int result = combiner.run(new Double(5));
                flag.set(Thread.currentThread().isInterrupted() ? result : -result);
            });
            waiter.interrupt();
            release.countDown();
            assertEquals(2, leader.get(30, TimeUnit.SECONDS));
            assertTrue(waiter.join(java.time.Duration.ofSeconds(30)));
            assertEquals(10, flag.get(), "its result, with the interrupt kept");
        }
    }
}
