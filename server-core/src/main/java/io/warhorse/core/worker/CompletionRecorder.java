package io.warhorse.core.worker;

import io.undertow.server.HttpServerExchange;
import io.warhorse.core.logging.AccessLog;
import io.warhorse.core.metrics.RequestInstrumentation;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records completed requests (the request metrics, the access log line) on a platform thread of its own, in
 * batches every {@value #PERIOD_MS} ms, instead of on the thread that ended each exchange. The request thread only
 * queues the exchange with its end times (one allocation and one CAS).
 *
 * <p>Why: on the virtual kind, the same ~1 µs of work done on the request's virtual thread after its response cost
 * 8-11% of S1's throughput (bench/overhead.sh, ON/OFF 1.08-1.13 over 5 runs of 8 pairs), far more than its own
 * CPU, most likely by holding one of the 2 carriers while the connection's next request waited for one. Queued
 * and recorded here: 1.00-1.04 over 5 runs (bench/results/overhead-2026-11-24-night.txt).
 *
 * <p>Nothing is lost: {@link #close} records what is queued before the access log closes and the last metrics
 * snapshot leaves, and an exchange that completes after that is recorded by the thread that queued it. Each
 * metrics snapshot is taken after a {@link #recordQueued} of its own, so its status meters and timers agree with
 * its {@code requests.total} (counted on the request's thread), but for requests ending while it is encoded.
 * Metrics and lines lag the responses by up to {@value #PERIOD_MS} ms (the access log is written every 200 ms
 * anyway, and metrics are shipped to the master every second). After {@value #IDLE_PASSES} passes that find
 * nothing, the thread sleeps until the next completion wakes it: an idle worker's recorder woke 100 times a second
 * for nothing, 9-11 ms of CPU per second on these VMs. An exchange is not reused by Undertow once it
 * has completed, so reading it on this thread is safe.
 */
final class CompletionRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompletionRecorder.class);
    private static final long PERIOD_MS = 10;
    /** Passes in a row that find nothing before the thread sleeps until the next completion: 100 ms idle. */
    private static final int IDLE_PASSES = 10;

    private record Completion(HttpServerExchange exchange, long endNanos, long endMillis) {}

    private final RequestInstrumentation timing;
    private final AccessLog log;
    private final ConcurrentLinkedQueue<Completion> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock recording = new ReentrantLock();
    private final Thread thread;
    private final AtomicBoolean asleep = new AtomicBoolean();
    private volatile boolean closed;
    private long failures;

    /**
     * @param timing request metrics, or null when they are off
     * @param log    the access log in a built-in format, or null
     */
    CompletionRecorder(RequestInstrumentation timing, AccessLog log) {
        this.timing = timing;
        this.log = log;
        this.thread = Thread.ofPlatform().name("warhorse-recorder").daemon().unstarted(this::run);
        thread.start();
    }

    /** Queues an exchange that ended at {@code endNanos} (nanoTime) and {@code endMillis} (wall clock). */
    void add(HttpServerExchange exchange, long endNanos, long endMillis) {
        queue.add(new Completion(exchange, endNanos, endMillis));
        if (asleep.get() && asleep.compareAndSet(true, false)) { // the first completion after a quiet spell
            LockSupport.unpark(thread);
        }
        if (closed) {
            recordQueued(); // closed meanwhile: the last pass of close() may have missed it
        }
    }

    private void run() {
        int empty = 0;
        while (!closed) {
            empty = recordQueued() > 0 ? 0 : empty + 1;
            if (empty < IDLE_PASSES) {
                LockSupport.parkNanos(PERIOD_MS * 1_000_000);
                continue;
            }
            // idle: sleep until add() wakes it. Either add() sees asleep set, or this sees its completion queued.
            asleep.set(true);
            if (queue.isEmpty() && !closed) {
                LockSupport.park(this);
            }
            asleep.set(false);
            empty = 0;
        }
    }

    /**
     * Records what is queued now, on the calling thread (the recorder's, the metrics shipper's before a snapshot);
     * returns how many.
     */
    int recordQueued() {
        int recorded = 0;
        recording.lock();
        try {
            for (Completion done = queue.poll(); done != null; done = queue.poll()) {
                record(done);
                recorded++;
            }
        } finally {
            recording.unlock();
        }
        return recorded;
    }

    private void record(Completion done) {
        try {
            if (timing != null) {
                timing.record(done.exchange(), done.endNanos());
            }
            if (log != null) {
                log.log(done.exchange(), done.endNanos(), done.endMillis());
            }
        } catch (RuntimeException e) {
            // a bug here must not stop the recording of every later request; said once in a while, not per request
            if (failures++ % 10_000 == 0) {
                LOG.error("recording a completed request failed ({} so far)", failures, e);
            }
        }
    }

    /** True while the recorder's thread sleeps until the next completion (for tests). */
    boolean asleep() {
        return asleep.get();
    }

    /** Records everything queued so far; afterwards each exchange is recorded by the thread that queues it. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        recordQueued();
    }
}
