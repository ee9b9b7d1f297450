package io.warhorse.worker.async;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import io.warhorse.core.config.Settings;
import io.warhorse.core.config.WorkerSizing;
import io.warhorse.core.spi.ExecutorRunner;
import io.warhorse.core.spi.InTurn;
import io.warhorse.core.spi.KindContext;
import io.warhorse.core.spi.Offload;
import io.warhorse.core.spi.Place;
import io.warhorse.core.spi.RequestRunner;
import io.warhorse.core.spi.ThreadCpu;
import io.warhorse.core.spi.WorkerKind;
import io.warhorse.core.spi.XnioThreadExit;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code async}: a few request threads (one per core unless {@code async.threads} says otherwise) that only start
 * servlet async work ({@code AsyncContext}, {@code ReadListener}/{@code WriteListener}) and return; the waiting
 * happens in callbacks, not on a thread. asyncio's model. Up to {@code worker-connections} requests in flight;
 * one over gets 503 at once.
 *
 * <p>Blocking or CPU-heavy code on these threads stalls every request behind it, so a watchdog reports each task
 * that holds a thread longer than {@code async.watchdog-threshold}: a warning with the task's stack, and the
 * counter {@code worker.async.watchdog.blocked}. It also counts the task against its route ({@link Offload}):
 * after {@code offload.strikes} of them the route moves, if the task that tipped it was waiting, to virtual threads
 * ({@link VirtualRefuge}), where its blocking calls hold no async thread; if it was computing, to a platform pool
 * of one thread per core (the worker's share) with a queue of {@code offload.platform-queue}, where the OS shares
 * the cores between it and the kind's threads (virtual threads are not preempted: a computing route there would
 * hold the carriers that the waiting routes moved there need). That pool is also where {@code run-on = platform}
 * pins a route.
 * JSP pages (blocking by nature, compiled on their first request) and WebSocket endpoint methods run on a pool of
 * their own ({@code threads} and {@code queue}, as for the sync kind): see {@link BlockingPagesRunner}.
 */
public final class AsyncWorkerKind implements WorkerKind {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncWorkerKind.class);

    @Override
    public String name() {
        return "async";
    }

    @Override
    public String summary() {
        return "a thread per core plus servlet async I/O; routes that hold those threads move to virtual threads or a CPU pool";
    }

    @Override
    public RequestRunner start(KindContext context) {
        Settings settings = context.settings();
        WorkerSizing sizing = WorkerSizing.of(settings);
        int threads = sizing.asyncThreads(settings.async().threads());
        ThreadPoolExecutor pool = context.threads().boundedPool("async", threads, settings.workerConnections());
        pool.prestartAllCoreThreads(); // requests run there; the blocking pool's threads start only if a route moves there
        ThreadPoolExecutor blocking = context.threads().boundedPool("async-blocking", settings.threads(), settings.queue());
        // CPU-bound routes: one thread per core of the worker's share, which the OS preempts and shares with the
        // kind's own threads (a virtual thread holds its carrier until it parks)
        int cores = sizing.share();
        ThreadPoolExecutor cpu = context.threads().boundedPool("async-cpu", cores, settings.offload().platformQueue());
        ExecutorService virtual = context.threads().virtualPerTask("async-vt");
        int virtualMax = settings.offload().virtualMax() > 0 ? settings.offload().virtualMax()
                : Math.max(1, settings.workerConnections() / 2);
        VirtualRefuge refuge = new VirtualRefuge(new InTurn(virtual), XnioThreadExit.find(), virtualMax);
        Offload offload = Offload.create(context, Place.VIRTUAL, "at most " + virtualMax + " of its requests at once, offload.virtual-max",
                settings.async().watchdogThreshold())
                .alsoRefuge(Place.PLATFORM, cores + " threads and " + settings.offload().platformQueue()
                        + " waiting, offload.platform-queue");
        TaskWatchdog watchdog = watchdog(context, offload);
        offload.place(Place.KIND, (route, task) -> pool.execute(watchdog.wrap(route, task)))
                .place(Place.VIRTUAL, refuge)
                .place(Place.PLATFORM, (route, task) -> cpu.execute(task));
        ScheduledExecutorService scheduler = context.threads().scheduler("watchdog-async");
        watchdog.checkOn(scheduler); // every period while tasks run
        context.metrics().gauge("worker.async.active", () -> (Gauge<Integer>) pool::getActiveCount);
        context.metrics().gauge("worker.async.virtual", () -> (Gauge<Integer>) refuge::running);
        context.metrics().gauge("worker.async.platform.active", () -> (Gauge<Integer>) cpu::getActiveCount);
        RequestRunner runner = ExecutorRunner.of(context, task -> pool.execute(watchdog.wrap(task)),
                settings.workerConnections(), ExecutorRunner.buffers(), scheduler, pool, virtual, cpu);
        return offload.around(new BlockingPagesRunner(runner, blocking, blocking));
    }

    /** A quarter of the threshold, at least 5 ms. */
    private static Duration period(Duration threshold) {
        return Duration.ofMillis(Math.max(5, threshold.toMillis() / 4));
    }

    private static TaskWatchdog watchdog(KindContext context, Offload offload) {
        Counter blocked = context.metrics().counter("worker.async.watchdog.blocked");
        Duration threshold = context.settings().async().watchdogThreshold();
        return new TaskWatchdog(threshold, period(threshold), System::nanoTime, ThreadCpu::nanos, report -> {
            blocked.inc();
            String held = "held an async thread for " + report.held().toMillis() + " ms (async.watchdog-threshold "
                    + threshold.toMillis() + " ms)";
            LOG.warn("ASYNC THREAD BLOCKED: {} {}{}: blocking or CPU-heavy code on the async kind's threads delays "
                    + "every request behind it; use AsyncContext, a non-blocking API, or --worker virtual. Stack now:{}",
                    report.thread().getName(), held, report.route() == null ? "" : " (" + report.route() + ")",
                    Offload.format(report.stack()));
            if (report.route() != null) { // one that waits is at home on virtual threads, one that computes is not
                offload.caught(report.route(), report.computing() ? Place.PLATFORM : Place.VIRTUAL,
                        "a request " + held + (report.computing() ? ", computing" : ", waiting"), report.stack());
            }
        });
    }
}
