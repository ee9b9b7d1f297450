package io.warhorse.worker.virtual;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import io.warhorse.core.config.Settings;
import io.warhorse.core.config.WorkerSizing;
import io.warhorse.core.logging.RateLimitedLog;
import io.warhorse.core.spi.ExecutorRunner;
import io.warhorse.core.spi.InTurn;
import io.warhorse.core.spi.KindContext;
import io.warhorse.core.spi.Offload;
import io.warhorse.core.spi.Place;
import io.warhorse.core.spi.Placement;
import io.warhorse.core.spi.RequestRunner;
import io.warhorse.core.spi.WorkerKind;
import io.warhorse.core.spi.XnioThreadExit;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code virtual}: a new virtual thread for every request, so plain blocking code (JDBC, HTTP clients, sleeps)
 * waits without holding a platform thread and thousands of slow requests run at once. The only cap is
 * {@code worker-connections} requests in flight (gevent's worker_connections); one over it gets 503 at once.
 *
 * <p>Two things differ from a platform pool, both measured: XNIO's blocking streams cache a {@code Selector}
 * per thread, freed only by XNIO's thread-exit hook, so each task runs through {@link XnioThreadExit}; and the
 * request threads take their buffers from the pool's shared queue, not from a per-thread cache, which a thread
 * that lives for one request would only churn ({@link io.warhorse.core.spi.BufferPool}). Requests start in the
 * order they arrive ({@link InTurn}), which the JDK's scheduler alone does not keep when every carrier is busy.
 *
 * <p>A virtual thread holds its carrier (one per core) until it parks, so a CPU-heavy route starves the rest: a
 * {@link CarrierWatch} catches requests that keep a carrier busy past {@code offload.cpu-threshold}, and after
 * {@code offload.strikes} of one route ({@link Offload}) the route moves to a platform pool of one thread per core
 * with a queue of {@code offload.platform-queue}, where the OS shares the cores between it and the virtual threads.
 * The watch only samples, so a caught route is first put on trial: {@link PlatformRefuge} measures the CPU time of
 * its requests exactly, and moves it only if they really use the threshold, and sends back a moved route whose
 * requests no longer do. Catches while the JIT is still warming up ({@link JitWarmth}) are not counted.
 */
public final class VirtualWorkerKind implements WorkerKind {

    private static final Logger LOG = LoggerFactory.getLogger(VirtualWorkerKind.class);

    @Override
    public String name() {
        return "virtual";
    }

    @Override
    public String summary() {
        return "a virtual thread per request, up to --worker-connections in flight; for blocking code (JDBC, HTTP calls)";
    }

    @Override
    public RequestRunner start(KindContext context) {
        Settings.Offload settings = context.settings().offload();
        ExecutorService threads = context.threads().virtualPerTask("vt");
        InTurn inTurn = new InTurn(threads); // requests run in arrival order, whichever thread starts first
        XnioThreadExit exit = XnioThreadExit.find();
        int cores = WorkerSizing.of(context.settings()).share(); // this worker's share of the cores, as its carriers
        ThreadPoolExecutor platform = context.threads().boundedPool("cpu", cores, settings.platformQueue());
        Offload offload = Offload.create(context, Place.PLATFORM, cores + " threads and " + settings.platformQueue()
                + " waiting, offload.platform-queue", settings.cpuThreshold()).trialFirst().warmUp(WARM_UP);
        JitWarmth jit = new JitWarmth(System::nanoTime);
        CarrierWatch watch = watch(context, offload, jit);
        Placement own = settings.enabled() ? (route, task) -> inTurn.execute(exit.wrap(watch.wrap(route, task)))
                : (route, task) -> inTurn.execute(exit.wrap(task));
        PlatformRefuge refuge = new PlatformRefuge(platform, settings.cpuThreshold(), offload::judged);
        offload.place(Place.KIND, own).place(Place.VIRTUAL, own).place(Place.PLATFORM, refuge);
        ScheduledExecutorService scheduler = context.threads().scheduler("watch-carriers");
        if (settings.enabled()) {
            watch.checkOn(scheduler);
            long jitPeriod = JitWarmth.INTERVAL.toNanos();
            scheduler.scheduleAtFixedRate(jit::sample, jitPeriod, jitPeriod, TimeUnit.NANOSECONDS); // not during the boot
        }
        ExecutorRunner runner = ExecutorRunner.of(context, task -> inTurn.execute(exit.wrap(task)),
                context.settings().workerConnections(),
                ExecutorRunner.buffers(), threads, platform, scheduler);
        context.metrics().gauge("worker.virtual.in-flight", () -> (Gauge<Integer>) runner::inFlight);
        context.metrics().gauge("worker.virtual.platform.active", () -> (Gauge<Integer>) platform::getActiveCount);
        return offload.around(runner);
    }

    /**
     * One I/O thread per two cores of the worker's share: on this kind they only read, parse and start a virtual
     * thread per request, and the carriers (one per core) run the rest. S1 with one worker on 2 cores, wrk in a
     * session of its own as {@code bench/run.sh} runs it (the kernel's autogroups then split the cores between
     * them), one I/O thread against two: 1.19x (5 rounds, 1.17-1.67); wrk in the server's session, 1.01x (13
     * rounds, 0.74-1.22). One carrier as well made 0.87x there.
     */
    @Override
    public int ioThreads(WorkerSizing sizing) {
        return (sizing.share() + 1) / 2;
    }

    private static CarrierWatch watch(KindContext context, Offload offload, JitWarmth jit) {
        Counter caught = context.metrics().counter("worker.virtual.cpu-bound");
        Duration threshold = context.settings().offload().cpuThreshold();
        RateLimitedLog log = new RateLimitedLog(LOG, 5, Duration.ofMinutes(1), System::nanoTime);
        return new CarrierWatch(threshold, CarrierWatch.period(threshold), System::nanoTime, new CarrierProbe(), report -> {
            caught.inc();
            String held = "kept a carrier thread busy with " + report.cpu().toMillis() + " ms of CPU without parking "
                    + "(offload.cpu-threshold " + threshold.toMillis() + " ms)";
            if (jit.warming()) { // interpreted code: no evidence about the route
                log.warn("CARRIER HELD: {} ({}) {}, while the JVM warms up ({}): not counted against the route",
                        report.thread(), report.route(), held, jit.described());
                return;
            }
            log.warn("CARRIER HELD: {} ({}) {}: every virtual thread waits behind it", report.thread(), report.route(), held);
            offload.caught(report.route(), "a request " + held, report.stack());
        });
    }

    /**
     * A route's first requests, whose catches do not count: measured on a platform thread, the session-counter app's
     * first requests each used 2 to 4 ms of CPU (class loading, the interpreter), 0.5 ms once warm.
     */
    private static final long WARM_UP = 100;
}
