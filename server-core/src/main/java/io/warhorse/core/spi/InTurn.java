package io.warhorse.core.spi;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks on new virtual threads in the order they were given, whichever of those threads the JDK's scheduler
 * runs first. The scheduler is a {@code ForkJoinPool} whose carriers keep taking from one submission queue while it
 * has work, and each thread that starts virtual threads (each XNIO I/O thread) submits to a queue of its own: with
 * every carrier busy (a CPU-bound load), the requests started by one I/O thread could wait seconds while those of
 * the other were served in milliseconds. Here each {@link #execute} puts its task at the tail of one shared queue
 * and starts a virtual thread that runs the task at the head: the threads may still start out of order, but the
 * tasks do not. A thread never finds the queue empty, since every task is queued before its thread is started.
 *
 * <p>{@link #execute} runs on any thread (the I/O threads); the tasks on the virtual threads of {@code threads},
 * which this class does not own or shut down.
 */
public final class InTurn implements Executor {

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Executor threads;
    private final Runnable runOldest = this::runOldest;

    /** @param threads a new virtual thread per task ({@code Executors.newThreadPerTaskExecutor}) */
    public InTurn(Executor threads) {
        this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        try {
            threads.execute(runOldest);
        } catch (RejectedExecutionException e) { // shut down
            if (tasks.remove(task)) {
                throw e; // still queued: refused, as the executor would have
            }
            // a thread started meanwhile by another caller took it and runs it, so it is not refused; one of the
            // tasks still queued is left without a thread, and goes with the shut-down kind
        }
    }

    /** Tasks queued and not yet taken by a thread: the threads started and not yet run. */
    public int waiting() {
        return tasks.size();
    }

    private void runOldest() {
        Runnable task = tasks.poll();
        if (task == null) {
            throw new IllegalStateException("a virtual thread of InTurn found no task: each must be queued before its thread");
        }
        task.run();
    }
}
