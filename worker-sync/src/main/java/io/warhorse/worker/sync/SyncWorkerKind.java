package io.warhorse.worker.sync;

import com.codahale.metrics.Gauge;
import io.warhorse.core.spi.ExecutorRunner;
import io.warhorse.core.spi.KindContext;
import io.warhorse.core.spi.RequestRunner;
import io.warhorse.core.spi.WorkerKind;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * {@code sync}: a fixed pool of {@code threads} platform threads, one per request in flight, with a queue of
 * {@code queue} requests waiting for a thread. A request that finds both full is answered 503 with Retry-After at
 * once, so a full worker says so instead of hanging. gunicorn's sync/gthread model, for apps that need a
 * predictable number of threads (a JDBC pool of the same size). One route runs on at most its share of the threads
 * ({@code limits.route-share}), so a slow one leaves the others some.
 */
public final class SyncWorkerKind implements WorkerKind {

    @Override
    public String name() {
        return "sync";
    }

    @Override
    public String summary() {
        return "a bounded pool of platform threads (--threads) plus a bounded queue (--queue); overflow gets 503";
    }

    @Override
    public RequestRunner start(KindContext context) {
        var settings = context.settings();
        int admitted = settings.threads() + settings.queue();
        // The admission limit (threads + queue requests in flight) is the cap, and it answers with Retry-After. The
        // pool's queue has room for every admitted request, because a finished request leaves the count a moment
        // before its thread is free again; its own refusal is only a backstop for extra async dispatches.
        ThreadPoolExecutor pool = context.threads().boundedPool("sync", settings.threads(), admitted);
        pool.prestartAllCoreThreads(); // every request runs there: its threads are ready before the first
        context.metrics().gauge("worker.sync.active", () -> (Gauge<Integer>) pool::getActiveCount);
        context.metrics().gauge("worker.sync.queued", () -> (Gauge<Integer>) () -> pool.getQueue().size());
        return ExecutorRunner.pooled(context, pool, settings.threads(), settings.queue(),
                ExecutorRunner.buffers(), pool);
    }
}
