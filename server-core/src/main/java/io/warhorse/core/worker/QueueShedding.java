package io.warhorse.core.worker;

import com.codahale.metrics.Counter;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.api.ThreadSetupHandler;
import io.undertow.servlet.handlers.ServletRequestContext;
import io.undertow.servlet.spec.HttpServletResponseImpl;
import io.undertow.util.StatusCodes;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.time.Duration;
import org.xnio.IoUtils;

/**
 * Sheds a request at the moment it would start running, after waiting in any queue (the sync kind's pool, a route's
 * bulkhead or share, the async kind's executor): one whose client closed its connection meanwhile is dropped without
 * running ({@code requests.dropped.client-gone}, logged as status 499 as nginx does), and one that waited longer than
 * {@code limits.queue-timeout} is answered 503 with Retry-After ({@code requests.rejected.queue-timeout}). So after an
 * overload the queues empty at the speed of these checks, not of the work the gone clients had asked for. While the
 * queues stand ({@link StandingQueue}, {@code limits.standing-queue}), the allowed wait drops to the short target,
 * and a request that waited longer gets the same 503 ({@code requests.rejected.standing-queue}): during an overload
 * the fresh requests run instead of those whose clients are about to give up. The wait runs from Undertow's request
 * start time (the request's head parsed), so it spans every queue.
 *
 * <p>A thread setup action of each deployment: it runs on the request thread, first, before any listener, filter or
 * servlet, and only for a request's own dispatch (not for async dispatches, forwards or error pages).
 */
final class QueueShedding implements ThreadSetupHandler {

    /** Status logged for a request dropped because its client left (nginx's "client closed request"). */
    static final int CLIENT_GONE = 499;
    /** A request that starts this soon after it arrived is not probed: clients rarely give up sooner, and a probe is a system call. */
    private static final long PROBE_AFTER_NANOS = Duration.ofMillis(10).toNanos();

    private final long timeoutNanos;
    private final StandingQueue standing;
    private final Counter timedOut;
    private final Counter stood;
    private final Counter gone;

    /**
     * {@code timeout}: {@code limits.queue-timeout}, zero for none; refusals counted in {@code timedOut}, those of a
     * standing queue in {@code stood}, requests of gone clients in {@code gone}.
     */
    QueueShedding(Duration timeout, StandingQueue standing, Counter timedOut, Counter stood, Counter gone) {
        this.timeoutNanos = timeout.toNanos();
        this.standing = standing;
        this.timedOut = timedOut;
        this.stood = stood;
        this.gone = gone;
    }

    @Override
    public <T, C> Action<T, C> create(Action<T, C> action) {
        return (exchange, context) -> {
            if (exchange == null || !(context instanceof ServletRequestContext request)
                    || request.getDispatcherType() != DispatcherType.REQUEST) {
                return action.call(exchange, context);
            }
            long now = System.nanoTime();
            if (shed(exchange, request, now)) {
                return null;
            }
            try {
                return action.call(exchange, context);
            } finally {
                standing.ran(System.nanoTime() - now);
            }
        };
    }

    /** True if the request, starting at {@code now}, was answered (or dropped) here instead of running. */
    private boolean shed(HttpServerExchange exchange, ServletRequestContext request, long now) throws IOException {
        long start = exchange.getRequestStartTime();
        long waited = start == -1 ? 0 : now - start;
        boolean stands = standing.shed(waited, now);
        if (timeoutNanos > 0 && waited > timeoutNanos) {
            timedOut.inc();
            refuse(request.getOriginalResponse(), waited, "longer than limits.queue-timeout");
            return true;
        }
        if (waited > PROBE_AFTER_NANOS && ClientProbe.gone(exchange)) {
            drop(exchange, request);
            return true;
        }
        if (stands) {
            stood.inc();
            refuse(request.getOriginalResponse(), waited, "longer than limits.standing-queue.target ("
                    + standing.target().toMillis() + " ms) while the queue stood: the worker is overloaded");
            return true;
        }
        return false;
    }

    private void drop(HttpServerExchange exchange, ServletRequestContext request) {
        gone.inc();
        exchange.setStatusCode(CLIENT_GONE);
        exchange.setPersistent(false);
        IoUtils.safeClose(exchange.getConnection());
        request.getOriginalResponse().responseDone();
    }

    private static void refuse(HttpServletResponseImpl response, long waitedNanos, String why) throws IOException {
        response.setStatus(StatusCodes.SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", "1");
        response.setContentType("text/plain");
        response.getWriter().write("503 Service Unavailable: this request waited " + waitedNanos / 1_000_000
                + " ms for a thread, " + why + "\n");
        response.responseDone();
    }
}
