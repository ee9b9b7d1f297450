package io.warhorse.core.edge;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.connector.PooledByteBuffer;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.xnio.StreamConnection;
import org.xnio.conduits.AbstractConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Answers 400 to a chunked request body whose framing is broken ({@link ChunkFraming}), where Undertow 2.3.26
 * would only drop the connection: its decoder, installed before any handler runs, closes the connection itself
 * on a framing error, before the error reaches anything that could answer. So the framing is checked beneath it,
 * on the connection's raw bytes, for the one request whose body is chunked: {@link #check} (from StrictHttp,
 * before the app runs) reads the body bytes Undertow already holds, and a 400 there is an ordinary response;
 * the bytes read later pass through {@link #inspect}, where a broken frame gets {@code 400} and {@code Connection:
 * close} written straight to the connection (nothing of the response has started: the app is still reading the
 * body), then the read fails and Undertow closes the connection. Sits under the connection's reads from accept;
 * {@link #check} runs on the I/O thread, {@link #inspect} on whichever thread reads the body.
 */
final class ChunkedBodyCheck extends RawBytesWatch {

    /** XNIO keeps the next conduit in a protected field; it is read to find this one under Undertow's. */
    private static final VarHandle NEXT = PrivateFields.of(AbstractConduit.class, "next",
            org.xnio.conduits.Conduit.class, "check chunked request bodies");
    private static final int MAX_DEPTH = 8;
    private static final byte[] REFUSAL = ("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private volatile ChunkFraming body; // the body being checked; null between bodies
    private volatile HttpServerExchange exchange;

    private ChunkedBodyCheck(StreamSourceConduit next, StreamConnection connection) {
        super(next, connection);
    }

    /** Puts the check under {@code connection}'s reads; returns the connection. */
    static <C extends StreamConnection> C watch(C connection) {
        return install(connection, ChunkedBodyCheck::new);
    }

    /**
     * For an HTTP/1.1 request with a chunked body: checks the body bytes already read with the request's head,
     * and, if the body goes on, the bytes read from now on. False if those already read are malformed (the caller
     * answers 400); true also when the connection has no check (PROXY protocol connections).
     */
    static boolean check(HttpServerExchange exchange) {
        if (!(exchange.getConnection() instanceof HttpServerConnection http)) {
            return true;
        }
        ChunkedBodyCheck check = find(http.getOriginalSourceConduit());
        if (check == null) {
            return true;
        }
        ChunkFraming framing = new ChunkFraming();
        PooledByteBuffer extra = http.getExtraBytes();
        ChunkFraming.Result result = extra == null ? ChunkFraming.Result.MORE
                : framing.feed(extra.getBuffer(), extra.getBuffer().position(), extra.getBuffer().limit());
        if (result == ChunkFraming.Result.MORE) {
            check.exchange = exchange;
            check.body = framing;
        }
        return result != ChunkFraming.Result.BAD;
    }

    @Override
    boolean watching() {
        return body != null;
    }

    @Override
    boolean inspect(ByteBuffer buffer, int from, int to) throws IOException {
        judge(buffer, from, to);
        return true;
    }

    private void judge(ByteBuffer buffer, int from, int to) throws IOException {
        ChunkFraming framing = body;
        switch (framing.feed(buffer, from, to)) {
            case DONE -> body = null; // what follows is the next request's, for Undertow to parse
            case BAD -> refuse();
            case MORE -> { }
        }
    }

    private void refuse() throws IOException {
        body = null;
        HttpServerExchange current = exchange;
        exchange = null;
        if (current != null && !current.isResponseStarted()) {
            current.setPersistent(false);
            answer(REFUSAL);
        }
        throw new MalformedChunkedBody();
    }

    private static ChunkedBodyCheck find(StreamSourceConduit conduit) {
        Object current = conduit;
        for (int depth = 0; depth < MAX_DEPTH && current != null; depth++) {
            if (current instanceof ChunkedBodyCheck check) {
                return check;
            }
            current = current instanceof AbstractConduit<?> abstractConduit ? NEXT.get(abstractConduit) : null;
        }
        return null;
    }

    /** A chunked request body whose framing is broken; the client has been answered 400 if it could be. */
    static final class MalformedChunkedBody extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedChunkedBody() {
            super("malformed chunked request body (answered 400, connection closed)");
        }
    }
}
