package io.warhorse.worker.async;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import io.warhorse.core.config.Settings;
import io.warhorse.core.config.WorkerSizing;
import io.warhorse.core.spi.ExecutorRunner;
import io.warhorse.core.spi.KindContext;
import io.warhorse.core.spi.RequestRunner;
import io.warhorse.core.spi.WorkerKind;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * counter {@code worker.async.watchdog.blocked}. JSP pages (blocking by nature, compiled on their first request) and
 * WebSocket endpoint methods run on a pool of their own ({@code threads} and {@code queue}, as for the sync kind):
 * see {@link BlockingPagesRunner}.
 */
public final class AsyncWorkerKind implements WorkerKind {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncWorkerKind.class);

    @Override
    public String name() {
        return "async";
    }

    @Override
    public String summary() {
        return "a thread per core plus servlet async I/O; a watchdog reports code that blocks those threads";
    }

    @Override
    public RequestRunner start(KindContext context) {
        Settings settings = context.settings();
        int threads = WorkerSizing.of(settings).asyncThreads(settings.async().threads());
        ThreadPoolExecutor pool = context.threads().boundedPool("async", threads, settings.workerConnections());
        Counter blocked = context.metrics().counter("worker.async.watchdog.blocked");
        Duration threshold = settings.async().watchdogThreshold();
        TaskWatchdog watchdog = new TaskWatchdog(threshold, System::nanoTime, report -> {
            blocked.inc();
            LOG.warn("ASYNC THREAD BLOCKED: {} held by one task for {} ms (threshold {} ms): blocking or CPU-heavy "
                    + "code on the async kind's threads delays every request behind it; use AsyncContext, "
                    + "a non-blocking API, or --worker virtual. Stack now:{}", report.thread().getName(),
                    report.held().toMillis(), threshold.toMillis(), format(report.stack()));
        });
        ScheduledExecutorService scheduler = context.threads().scheduler("watchdog-async");
        long period = Math.max(5, threshold.toMillis() / 4);
        scheduler.scheduleAtFixedRate(watchdog::check, period, period, TimeUnit.MILLISECONDS);
        context.metrics().gauge("worker.async.active", () -> (Gauge<Integer>) pool::getActiveCount);
        RequestRunner runner = ExecutorRunner.of(context, task -> pool.execute(watchdog.wrap(task)),
                settings.workerConnections(), ExecutorRunner.threadCachedBuffers(), scheduler, pool);
        ThreadPoolExecutor blocking = context.threads().boundedPool("async-blocking", settings.threads(), settings.queue());
        return new BlockingPagesRunner(runner, blocking, blocking);
    }

    private static String format(StackTraceElement[] stack) {
        StringBuilder text = new StringBuilder();
        for (StackTraceElement frame : stack) {
            text.append("\n\tat ").append(frame);
        }
        return text.toString();
    }
}
