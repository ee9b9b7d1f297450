package io.warhorse.core.spi;

import io.undertow.servlet.api.ThreadSetupHandler;

/**
 * Counts, per platform thread, the requests that reached their app: a thread setup action of each deployment that
 * an {@link Offload} configures. The worker adds its queue shedding after the kind's runner configured the
 * deployment, so shedding wraps this action: a request dropped because its client left, or refused because it
 * waited too long, never gets here. The virtual kind's platform pool compares the count before and after a task, so
 * that the few microseconds of a shed request do not pass for a request of its route that waits.
 *
 * <p>Runs on request threads; virtual threads are not counted (one lives for one request, and a thread-local
 * would cost each of them a map).
 */
public final class Dispatches implements ThreadSetupHandler {

    private static final ThreadLocal<long[]> COUNT = ThreadLocal.withInitial(() -> new long[1]);

    /** Requests that reached their app on the current platform thread so far; 0 on a virtual thread. */
    public static long count() {
        return Thread.currentThread().isVirtual() ? 0 : COUNT.get()[0];
    }

    @Override
    public <T, C> Action<T, C> create(Action<T, C> action) {
        return (exchange, context) -> {
            if (exchange != null && !Thread.currentThread().isVirtual()) {
                COUNT.get()[0]++;
            }
            return action.call(exchange, context);
        };
    }
}
