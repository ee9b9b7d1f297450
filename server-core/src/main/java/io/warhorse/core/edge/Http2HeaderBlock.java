package io.warhorse.core.edge;

import io.undertow.protocols.http2.HeaderBlocks;
import io.undertow.protocols.http2.Http2Channel;
import io.undertow.protocols.http2.Http2StreamSourceChannel;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http2.Http2ServerConnection;
import io.undertow.util.HeaderValues;
import io.undertow.util.SameThreadExecutor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;

/**
 * Holds an HTTP/2 request until its whole header block has arrived. Undertow starts a request on its HEADERS
 * frame even when CONTINUATION frames are still to come ({@link HeaderBlocks}), so the fields in them were lost or
 * raced with the app. A request whose block is unfinished is parked, not run: the I/O thread looks again after 1
 * ms, then twice as long each time up to 50 ms, and runs the request once the block is complete, or answers 400 if
 * a field read late is one HTTP/2 or HTTP forbids (Undertow validates only the fields it had). A block still
 * unfinished after {@code http.request-parse-timeout} closes the connection: nothing else may be sent on it until
 * the block ends. Runs on the connection's I/O thread.
 */
public final class Http2HeaderBlock implements HttpHandler {

    private static final long FIRST_LOOK_MILLIS = 1;
    private static final long LONGEST_LOOK_MILLIS = 50;
    private final long timeoutNanos;
    private final HttpHandler next;

    /** @param timeout {@code http.request-parse-timeout}: the longest a header block may take to arrive */
    public Http2HeaderBlock(Duration timeout, HttpHandler next) {
        this.timeoutNanos = timeout.toNanos();
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.getConnection() instanceof Http2ServerConnection connection) {
            Http2Channel channel = Http2Connections.channel(connection);
            Http2StreamSourceChannel stream = Http2Connections.stream(connection);
            HeaderBlocks block = stream == null ? null : HeaderBlocks.pending(channel, stream);
            if (block != null) {
                long deadline = System.nanoTime() + timeoutNanos;
                exchange.dispatch(SameThreadExecutor.INSTANCE, () -> lookAfter(exchange, channel, block, deadline, FIRST_LOOK_MILLIS));
                return;
            }
        }
        next.handleRequest(exchange);
    }

    private void lookAfter(HttpServerExchange exchange, Http2Channel channel, HeaderBlocks block, long deadline, long millis) {
        exchange.getIoThread().executeAfter(() -> look(exchange, channel, block, deadline, millis), millis, TimeUnit.MILLISECONDS);
    }

    private void look(HttpServerExchange exchange, Http2Channel channel, HeaderBlocks block, long deadline, long millis) {
        if (!channel.isOpen()) {
            return;
        }
        if (block.done()) {
            block.finish();
            if (block.malformed() || !valid(exchange)) {
                exchange.setStatusCode(400);
                exchange.endExchange();
            } else {
                Connectors.executeRootHandler(next, exchange);
            }
        } else if (System.nanoTime() - deadline > 0) {
            IoUtils.safeClose(channel);
        } else {
            lookAfter(exchange, channel, block, deadline, Math.min(2 * millis, LONGEST_LOOK_MILLIS));
        }
    }

    /** The checks Undertow made on the fields it had: header values, and no pseudo-header left among them. */
    private static boolean valid(HttpServerExchange exchange) {
        if (!Connectors.areRequestHeadersValid(exchange.getRequestHeaders())) {
            return false;
        }
        for (HeaderValues field : exchange.getRequestHeaders()) {
            if (field.getHeaderName().length() > 0 && field.getHeaderName().byteAt(0) == ':') {
                return false;
            }
        }
        return true;
    }
}
