package io.warhorse.core;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that creates threads and executors in warhorse: every thread gets a name that says what it does
 * ({@code sync-7}, {@code vt-123}, {@code async-watchdog}) and an uncaught-exception handler that logs instead of
 * letting the exception vanish with the thread.
 */
public final class Threads {

    private static final Logger LOG = LoggerFactory.getLogger(Threads.class);
    private static final Thread.UncaughtExceptionHandler LOG_UNCAUGHT =
            (thread, error) -> LOG.error("uncaught exception in thread {}", thread.getName(), error);

    private Threads() {}

    public static Threads create() {
        return new Threads();
    }

    /** Platform threads named {@code prefix-N}. */
    public ThreadFactory platform(String prefix, boolean daemon) {
        AtomicInteger next = new AtomicInteger(1);
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + next.getAndIncrement());
            thread.setDaemon(daemon);
            thread.setUncaughtExceptionHandler(LOG_UNCAUGHT);
            return thread;
        };
    }

    /** Virtual threads named {@code prefix-N}. */
    public ThreadFactory virtual(String prefix) {
        return Thread.ofVirtual().name(prefix + "-", 1).uncaughtExceptionHandler(LOG_UNCAUGHT).factory();
    }

    /**
     * A fixed pool of {@code threads} platform threads with a queue of {@code queue} waiting tasks; a task offered
     * when both are full is refused with {@link java.util.concurrent.RejectedExecutionException} at once. Its
     * threads start as tasks come (each task finds a new one until there are {@code threads}) and then stay; a kind
     * whose requests run there starts them all at once with {@link ThreadPoolExecutor#prestartAllCoreThreads}, a
     * pool that may never be used (where routes are moved) starts none: 32 threads started at boot were ~10 ms of a
     * worker's main thread and their stacks' memory.
     */
    public ThreadPoolExecutor boundedPool(String prefix, int threads, int queue) {
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                queue == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(queue),
                platform(prefix, true), new ThreadPoolExecutor.AbortPolicy());
    }

    /** A new virtual thread for each task. */
    public ExecutorService virtualPerTask(String prefix) {
        return Executors.newThreadPerTaskExecutor(virtual(prefix));
    }

    /** A single daemon thread for timed jobs (watchdogs, heartbeats). */
    public ScheduledExecutorService scheduler(String name) {
        var scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = platform(name, true).newThread(runnable);
            thread.setName(name);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    /**
     * Stops {@code executor} and waits up to {@code limit} for the tasks it has. {@code interrupt} stops them by
     * interrupting; leave it false for tasks that write to an NIO channel, which an interrupt closes. An interrupt
     * of the waiting thread ends the wait and stays set.
     */
    public static void stop(ExecutorService executor, Duration limit, boolean interrupt) {
        if (interrupt) {
            executor.shutdownNow();
        } else {
            executor.shutdown();
        }
        try {
            executor.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a named daemon platform thread running {@code body}. */
    public Thread startDaemon(String name, Runnable body) {
        Thread thread = platform(name, true).newThread(body);
        thread.setName(name);
        thread.start();
        return thread;
    }
}
