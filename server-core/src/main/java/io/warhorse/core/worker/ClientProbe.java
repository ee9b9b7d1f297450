package io.warhorse.core.worker;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;

/**
 * Tells whether the client of a request that waited to run has gone. Undertow does not notice: while a request is
 * queued it reads nothing more from an HTTP/1.1 connection, so a client's close stays unread in the socket and the
 * connection looks open. The probe reads what is there without blocking: the end of the stream (or a reset) means
 * the client closed; bytes (the next pipelined request) are handed back to the connection, which parses them as if
 * it had read them itself. Only asked about an HTTP/1.1 request whose body is complete (a body still unread would be
 * consumed) on plain TCP (the TLS engine belongs to the I/O thread). An HTTP/2 stream is not probed: Undertow 2.3.26
 * keeps the connection open while a stream is active, even after the client reset the stream or hung up, and shows
 * no stream state (checked with curl giving up on an h2c request); {@code limits.queue-timeout} bounds those. Runs
 * on the request thread, which owns the exchange until the request runs.
 */
final class ClientProbe {

    private ClientProbe() {}

    /** True if the client closed the connection (or reset it) since its request was read. */
    static boolean gone(HttpServerExchange exchange) {
        ServerConnection connection = exchange.getConnection();
        if (!connection.isOpen()) {
            return true;
        }
        if (!(connection instanceof HttpServerConnection http) || http.getSslSessionInfo() != null
                || !exchange.isRequestComplete() || http.getExtraBytes() != null) {
            return false;
        }
        PooledByteBuffer pooled = http.getByteBufferPool().allocate();
        boolean handedBack = false;
        try {
            int read = http.getOriginalSourceConduit().read(pooled.getBuffer());
            if (read > 0) {
                pooled.getBuffer().flip();
                http.ungetRequestBytes(pooled);
                handedBack = true;
            }
            return read < 0;
        } catch (IOException reset) {
            return true;
        } finally {
            if (!handedBack) {
                pooled.close();
            }
        }
    }
}
