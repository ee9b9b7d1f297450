package io.warhorse.core.sessions;

import io.warhorse.core.spi.SharedWork;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit for a store's connection: request threads queue {@link Job}s, and whichever of them finds the
 * connection's turn free runs every job queued so far as one batch (one SQLite transaction, one Redis pipeline)
 * while the others wait for their own job to be done. Under load a batch carries the work of many requests for the
 * price of one round trip or one commit; alone, a job runs on its own thread (after one yield, if it gathers). A
 * job's caller returns only once its job is done, so a write is in the store before its request answers.
 *
 * <p>Runs on request threads (and the scavenger's); thread-safe. Waiting threads park (a virtual thread unmounts).
 * The runner completes or fails each job of its batch; a runner that throws fails every job it left open.
 */
final class Combiner<J extends Combiner.Job<?>> {

    /** One operation and, once done, its result or failure; made and waited for by one thread. */
    abstract static class Job<R> {
        private final Thread waiter = Thread.currentThread();
        private volatile boolean done;
        private R result;
        private RuntimeException failure;

        final void complete(R value) {
            result = value;
            finish();
        }

        final void fail(RuntimeException e) {
            failure = e;
            finish();
        }

        private void finish() {
            done = true;
            LockSupport.unpark(waiter);
        }

        final boolean done() {
            return done;
        }

        private R outcome() {
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }

    private final ConcurrentLinkedQueue<J> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock turn = new ReentrantLock();
    private final Consumer<List<J>> runner;
    private final int maxBatch;
    private final boolean gathers;

    /**
     * {@code runner}: runs one batch, in queue order, on the thread that holds the turn. {@code gathers}: whether a
     * virtual thread lets the ready request threads queue their jobs before it takes the batch ({@link #gather}):
     * for batches whose cost is mostly per batch (a Redis pipeline's round trip, an SQLite write transaction), not
     * for reads that each cost about the same alone or together.
     */
    Combiner(Consumer<List<J>> runner, int maxBatch, boolean gathers) {
        this.runner = runner;
        this.maxBatch = maxBatch;
        this.gathers = gathers;
    }

    /** Queues the job and returns its result once it ran, in this thread's batch or another's. */
    <R> R run(Job<R> job) {
        @SuppressWarnings("unchecked")
        J queued = (J) job;
        queue.add(queued);
        boolean interrupted = false;
        while (!job.done()) {
            if (turn.tryLock()) {
                try {
                    if (!job.done()) {
                        if (gathers) {
                            gather();
                        }
                        SharedWork.run(this::runBatch); // for every waiting request: not this route's own CPU
                    }
                } finally {
                    turn.unlock();
                }
                wakeNext();
            } else {
                LockSupport.park(this);
                interrupted |= Thread.interrupted(); // queued already: it runs anyway; keep the flag for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return job.outcome();
    }

    /**
     * Lets the request threads ready to run reach the queue before the batch is taken, while this thread holds the
     * turn: a virtual thread yields its carrier once, so that the requests already queued for the carriers run up to
     * their own store call (they queue their job and park, as they would behind any batch). Under load a batch then
     * carries many requests, where each would otherwise pay for a batch of its own: for Redis a park of its runner
     * on the socket, a poller wake-up and a carrier hand-off; for SQLite a transaction's file locks and WAL append.
     * Alone, the yield costs a remount. A platform thread does not yield: its peers run in parallel anyway.
     */
    private static void gather() {
        if (Thread.currentThread().isVirtual()) {
            Thread.yield();
        }
    }

    /** Whoever gives the turn back wakes the oldest waiting job's thread, which takes the turn if nobody did. */
    private void wakeNext() {
        J next = queue.peek();
        if (next != null) {
            LockSupport.unpark(((Job<?>) next).waiter);
        }
    }

    private void runBatch() {
        List<J> batch = new ArrayList<>(Math.min(maxBatch, 16));
        for (J job; batch.size() < maxBatch && (job = queue.poll()) != null; ) {
            batch.add(job);
        }
        try {
            runner.accept(batch);
        } catch (RuntimeException e) {
            failOpen(batch, e);
        } catch (Error e) {
            failOpen(batch, new IllegalStateException(e));
            throw e;
        }
    }

    private void failOpen(List<J> batch, RuntimeException e) {
        for (J job : batch) {
            if (!job.done()) {
                job.fail(e);
            }
        }
    }
}
