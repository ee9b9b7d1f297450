package io.warhorse.core.sessions;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.handlers.ServletRequestContext;
import io.undertow.servlet.spec.HttpServletResponseImpl;
import io.undertow.util.AttachmentKey;
import io.warhorse.core.spi.SessionStoreException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Wraps an app's request chain (security included): when it returns, the sessions the request used are written
 * back before Undertow completes the response, so that the user's next request, in any worker, finds them. A
 * request whose session the store could not read or write is answered 503 (if nothing was sent yet) and counted;
 * requests that use no session never reach the store. A response committed before the chain returns (a FORM
 * login's redirect, an early flush) has them written just before it is. Requests that went async are written back
 * when they end ({@link StoredSessionManager#requestDone}). Runs on the request's thread.
 */
final class SessionCommitHandler implements HttpHandler {

    private static final AttachmentKey<Boolean> WRITTEN = AttachmentKey.create(Boolean.class);

    private final HttpHandler next;
    private final SessionCounters counters;

    SessionCommitHandler(HttpHandler next, SessionCounters counters) {
        this.next = next;
        this.counters = counters;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        try {
            next.handleRequest(exchange);
        } catch (Exception e) {
            SessionStoreException failure = storeFailure(e);
            if (failure == null) {
                throw e;
            }
            unavailable(exchange);
            return;
        }
        ServletRequestContext context = exchange.getAttachment(ServletRequestContext.ATTACHMENT_KEY);
        if (context != null && context.getOriginalRequest().isAsyncStarted()) {
            return;
        }
        try {
            writeUsed(exchange);
        } catch (SessionStoreException e) {
            unavailable(exchange);
        }
    }

    /**
     * A response can be committed before the chain returns: a FORM login's redirect is sent from inside the security
     * handler (Undertow ends the exchange there), an app may flush its response early. The sessions are written
     * first then too, or the user's next request could reach another worker before the write. The session manager
     * registers this for a request once it uses a session. On the thread that commits the response; not on an I/O
     * thread (the store blocks), where the end writes.
     */
    static void beforeCommit(HttpServerExchange exchange, SessionCounters counters) {
        if (exchange.isInIoThread()) {
            return;
        }
        try {
            writeUsed(exchange);
        } catch (SessionStoreException e) {
            counters.rejected().inc(); // too late for a 503: the response is on its way; the store logged why
        }
    }

    /**
     * Writes the sessions the request used. The first of the two calls (before the commit, or when the chain
     * returns, whichever comes first) is the request's write ({@code save = always} writes the session whole); the
     * second writes only what changed since, so a session is not written whole twice.
     */
    private static void writeUsed(HttpServerExchange exchange) {
        List<StoredSession> used = exchange.getAttachment(StoredSessionManager.USED);
        if (used == null) {
            return;
        }
        boolean first = exchange.putAttachment(WRITTEN, Boolean.TRUE) == null;
        for (StoredSession session : used) {
            ((StoredSessionManager) session.getSessionManager()).commit(session, first);
        }
    }

    private static SessionStoreException storeFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SessionStoreException failure) {
                return failure;
            }
        }
        return null;
    }

    /** 503 with a short text; the store's failure is logged by MeasuredStore, rate-limited. */
    private void unavailable(HttpServerExchange exchange) throws java.io.IOException {
        counters.rejected().inc();
        ServletRequestContext context = exchange.getAttachment(ServletRequestContext.ATTACHMENT_KEY);
        HttpServletResponseImpl response = context == null ? null : context.getOriginalResponse();
        if (response == null || response.isCommitted()) {
            return; // already on its way: the client sees what was sent
        }
        response.reset();
        response.setStatus(503);
        response.setHeader("Retry-After", "1");
        response.setContentType("text/plain;charset=UTF-8");
        response.getOutputStream().write("503 session store unavailable; try again shortly\n".getBytes(StandardCharsets.UTF_8));
    }
}
