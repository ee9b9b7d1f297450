package io.warhorse.core.worker;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands tasks from request threads to an I/O thread in batches: each I/O thread has a lane (a lock-free queue and a
 * flag), and only the task that finds the lane idle asks the I/O thread to drain it; the tasks queued meanwhile ride
 * along. XNIO's own {@code execute} takes the I/O thread's work lock and wakes its selector once per task, so with a
 * request completing on another thread every few microseconds, the request threads queued on that lock and the I/O
 * thread woke for one task at a time. Tasks of one lane run in the order they were handed over.
 *
 * <p>{@link #run} runs on any thread; the tasks run on the I/O thread given.
 */
final class IoThreadHandoff {

    private static final Logger LOG = LoggerFactory.getLogger(IoThreadHandoff.class);

    private final Map<Executor, Lane> lanes = new ConcurrentHashMap<>();

    /**
     * Runs {@code task} on {@code ioThread}, after the tasks handed to it before; on the calling thread, with those
     * still waiting, when the I/O thread is stopping (the connections are closing then).
     */
    void run(Executor ioThread, Runnable task) {
        Lane lane = lanes.get(ioThread);
        if (lane == null) {
            lane = lanes.computeIfAbsent(ioThread, Lane::new);
        }
        lane.add(task);
    }

    /** The tasks waiting for one I/O thread. */
    private static final class Lane implements Runnable {

        private final Executor ioThread;
        private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Lane(Executor ioThread) {
            this.ioThread = ioThread;
        }

        void add(Runnable task) {
            tasks.add(task);
            if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
                try {
                    ioThread.execute(this);
                } catch (RejectedExecutionException e) {
                    run();
                }
            }
        }

        /** Drains the lane on its I/O thread; a task handed over after the flag is cleared schedules the next drain. */
        @Override
        public void run() {
            scheduled.set(false);
            for (Runnable task; (task = tasks.poll()) != null; ) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("a request's completion failed on its I/O thread; the next ones go on", e);
                }
            }
        }
    }
}
