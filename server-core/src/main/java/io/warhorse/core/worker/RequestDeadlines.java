package io.warhorse.core.worker;

import com.codahale.metrics.Counter;
import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.handlers.ServletRequestContext;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Counter expired;
    private final Set<Running> running = ConcurrentHashMap.newKeySet();

    /**
     * Checks the requests in flight on {@code scheduler} every tenth of the timeout (at least every second): a
     * request costs a set insertion and removal instead of a timer of its own.
     */
    RequestDeadlines(Duration timeout, ScheduledExecutorService scheduler, Counter expired) {
        this.timeout = timeout;
        this.expired = expired;
        long period = Math.clamp(timeout.toMillis() / 10, 10, 1000);
        scheduler.scheduleAtFixedRate(this::expireOverdue, period, period, TimeUnit.MILLISECONDS);
    }

    HandlerWrapper wrapper() {
        return next -> exchange -> handle(next, exchange);
    }

    private void handle(HttpHandler next, HttpServerExchange exchange) throws Exception {
        Running request = new Running(Thread.currentThread(), exchange, System.nanoTime() + timeout.toNanos());
        running.add(request);
        try {
            next.handleRequest(exchange);
        } catch (Exception | Error e) {
            if (!request.finish() || !answerTimeout(exchange)) {
                throw e;
            }
            return;
        } finally {
            running.remove(request);
        }
        if (request.finish()) {
            answerTimeout(exchange);
        }
    }

    private void expireOverdue() {
        long now = System.nanoTime();
        for (Running request : running) {
            if (now - request.deadlineNanos > 0) {
                expire(request);
            }
        }
    }

    private void expire(Running running) {
        synchronized (running) {
            if (running.done || running.expired) {
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

    /**
     * One request on its thread. Guarded by its own monitor, so an interrupt never lands after the request ends. It
     * hashes by its deadline: {@code Object}'s identity hash is a call into the JVM for every new object.
     */
    private static final class Running {
        final Thread thread;
        final HttpServerExchange exchange;
        final long deadlineNanos;
        boolean done;
        boolean expired;

        Running(Thread thread, HttpServerExchange exchange, long deadlineNanos) {
            this.thread = thread;
            this.exchange = exchange;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(deadlineNanos);
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
