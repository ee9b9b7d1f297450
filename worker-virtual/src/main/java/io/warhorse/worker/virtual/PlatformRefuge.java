package io.warhorse.worker.virtual;

import io.warhorse.core.spi.KernelThreadState;
import io.warhorse.core.spi.Placement;
import io.warhorse.core.spi.Route;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;

/**
 * Where the virtual kind moves a CPU-bound route: a pool of one platform thread per core with a bounded queue, so
 * the OS shares the cores between it and the carriers; a full pool refuses, and Undertow answers 503.
 *
 * <p>A move can be wrong: a route whose requests compute for a few milliseconds and then wait on a database would,
 * on so few threads, be throttled to a trickle. So {@link #sample}, every 10 ms on the carrier watch's thread,
 * looks at each pool thread running a request: waiting (asleep in the kernel: a socket read, a sleep, a park) or
 * working (running or runnable, on a core or waiting for one; a thread BLOCKED on a monitor counts as neither),
 * as {@link KernelThreadState} tells from {@code /proc}. The JVM alone cannot tell: a thread preempted in a system
 * call (waking another thread is where the kernel preempts on a busy machine) is RUNNABLE in a native method just
 * like one in a blocking read; without {@code /proc} the JVM's state and top frame are the fallback. After
 * {@value #SAMPLES} samples of a route, if it waited in more than half, the route is released back to virtual
 * threads for good. A sample reads one small file per busy thread, at most one per core every 10 ms, and only while
 * moved routes run.
 *
 * <p>{@link #execute} runs on the I/O thread; the tasks on the pool's threads; {@link #sample} on the watch's.
 */
final class PlatformRefuge implements Placement {

    static final int SAMPLES = 20;

    private final ExecutorService pool;
    private final BiConsumer<Route, String> release;
    private final Map<Thread, Route> running = new ConcurrentHashMap<>();
    /** Per route: samples waiting, samples working. The watch's thread only. */
    private final Map<Route, int[]> samples = new HashMap<>();

    /** @param release takes a route back to the kind's own threads, with the reason (the offload's release) */
    PlatformRefuge(ExecutorService pool, BiConsumer<Route, String> release) {
        this.pool = pool;
        this.release = release;
    }

    @Override
    public void execute(Route route, Runnable task) {
        pool.execute(() -> {
            Thread self = Thread.currentThread();
            running.put(self, route);
            try {
                task.run();
            } finally {
                running.remove(self);
            }
        });
    }

    /** Samples what each busy pool thread does, and releases a route that mostly waits. */
    void sample() {
        running.forEach((thread, route) -> {
            Thread.State state = thread.getState();
            if (state == Thread.State.BLOCKED || state == Thread.State.TERMINATED) {
                return;
            }
            int[] counts = samples.computeIfAbsent(route, r -> new int[2]);
            counts[waits(thread, state) ? 0 : 1]++;
            if (counts[0] + counts[1] >= SAMPLES) {
                samples.remove(route);
                if (counts[0] * 2 > SAMPLES) {
                    release.accept(route, "on the platform pool its requests were waiting (parked, sleeping or in "
                            + "a native call such as a socket read) in " + counts[0] + " of " + SAMPLES
                            + " samples: it is not CPU-bound");
                }
            }
        });
    }

    /** The kernel's word where there is one: a thread preempted in a system call is RUNNABLE in native code too. */
    private static boolean waits(Thread thread, Thread.State state) {
        char kernel = KernelThreadState.of(thread);
        if (kernel != KernelThreadState.UNKNOWN) {
            return kernel == 'S' || kernel == 'D';
        }
        if (state != Thread.State.RUNNABLE) {
            return true;
        }
        StackTraceElement[] stack = thread.getStackTrace();
        return stack.length > 0 && stack[0].isNativeMethod();
    }
}
