package io.warhorse.core.worker;

import com.codahale.metrics.Counter;
import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.handlers.ServletRequestContext;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code request-timeout}: a request still running on its request thread after the deadline is reported with its
 * stack, counted ({@code requests.timeouts}), and its thread interrupted; once the servlet returns or throws, a
 * response not yet sent is replaced by 504. Code that ignores interrupts (a platform thread in a socket read) runs
 * on until it returns; its late answer is still replaced. Wrapped around each app's servlet chain, so it runs on
 * the request thread of whatever worker kind; the deadline itself fires on the {@code request-deadline} thread.
 */
final class RequestDeadlines {

    private static final Logger LOG = LoggerFactory.getLogger(RequestDeadlines.class);

    private final Duration timeout;
    private final ScheduledExecutorService scheduler;
    private final Counter expired;

    RequestDeadlines(Duration timeout, ScheduledExecutorService scheduler, Counter expired) {
        this.timeout = timeout;
        this.scheduler = scheduler;
        this.expired = expired;
    }

    HandlerWrapper wrapper() {
        return next -> exchange -> handle(next, exchange);
    }

    private void handle(HttpHandler next, HttpServerExchange exchange) throws Exception {
        Running running = new Running(Thread.currentThread(), exchange);
        ScheduledFuture<?> deadline = scheduler.schedule(() -> expire(running), timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            next.handleRequest(exchange);
        } catch (Exception | Error e) {
            if (!running.finish() || !answerTimeout(exchange)) {
                throw e;
            }
            return;
        } finally {
            deadline.cancel(false);
        }
        if (running.finish()) {
            answerTimeout(exchange);
        }
    }

    private void expire(Running running) {
        synchronized (running) {
            if (running.done) {
                return;
            }
            running.expired = true;
            expired.inc();
            LOG.warn("REQUEST TIMEOUT: {} {} still running on {} after {} ms (request-timeout); interrupting it. "
                    + "Stack now:{}", running.exchange.getRequestMethod(), running.exchange.getRequestURI(),
                    running.thread.getName(), timeout.toMillis(), stack(running.thread));
            running.thread.interrupt();
        }
    }

    /** Replaces a response not yet committed by 504; false if part of it already went out. */
    private static boolean answerTimeout(HttpServerExchange exchange) {
        ServletRequestContext context = exchange.getAttachment(ServletRequestContext.ATTACHMENT_KEY);
        if (context == null || !(context.getServletResponse() instanceof HttpServletResponse response)
                || response.isCommitted()) {
            return false;
        }
        try {
            response.reset();
            response.sendError(HttpServletResponse.SC_GATEWAY_TIMEOUT, "request-timeout exceeded");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String stack(Thread thread) {
        StringBuilder text = new StringBuilder();
        for (StackTraceElement frame : thread.getStackTrace()) {
            text.append("\n\tat ").append(frame);
        }
        return text.toString();
    }

    /** One request on its thread. Guarded by its own monitor, so an interrupt never lands after the request ends. */
    private static final class Running {
        final Thread thread;
        final HttpServerExchange exchange;
        boolean done;
        boolean expired;

        Running(Thread thread, HttpServerExchange exchange) {
            this.thread = thread;
            this.exchange = exchange;
        }

        /** Marks the request over; returns true if its deadline had passed (and clears the interrupt it caused). */
        synchronized boolean finish() {
            done = true;
            if (expired) {
                Thread.interrupted();
            }
            return expired;
        }
    }
}
