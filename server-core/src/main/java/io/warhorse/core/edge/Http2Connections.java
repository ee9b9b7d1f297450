package io.warhorse.core.edge;

import io.undertow.protocols.http2.DrainingGoAway;
import io.undertow.protocols.http2.HeaderFieldLimit;
import io.undertow.protocols.http2.Http2Channel;
import io.undertow.protocols.http2.Http2StreamSourceChannel;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http2.Http2ServerConnection;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A worker's open HTTP/2 connections, and how they end when it drains, since {@code Connection: close} does not
 * exist in HTTP/2. {@link #goAway()} sends each one a GOAWAY that refuses new streams but serves every stream sent
 * so far ({@link DrainingGoAway}): the client finishes its requests, then opens its next connection elsewhere
 * (to a worker still accepting) and closes this one. {@link #close()} ends those still open after the drain with
 * Undertow's final GOAWAY, naming the last stream served. Without this, a draining worker's h2 connections took
 * new streams until the worker undeployed its apps under them (the clients got 404s) and closed the sockets.
 *
 * <p>A connection is known from its first request: Undertow opens HTTP/2 connections (ALPN, h2c upgrade, prior
 * knowledge) in three places without a hook. {@link #handleRequest} runs on the connection's I/O thread, as does
 * everything done to a connection; {@link #goAway()}, {@link #open()} and {@link #close()} on the thread stopping
 * the worker.
 */
public final class Http2Connections implements HttpHandler {

    /** Undertow's Http2ServerConnection keeps its Http2Channel and its stream private; a change there fails the worker's start. */
    private static final VarHandle CHANNEL = PrivateFields.of(Http2ServerConnection.class, "channel",
            Http2Channel.class, "drain HTTP/2 connections");
    private static final VarHandle STREAM = PrivateFields.of(Http2ServerConnection.class, "requestChannel",
            Http2StreamSourceChannel.class, "hold HTTP/2 requests for their header blocks");
    /** How long {@link #close()} waits for the I/O threads to have sent their final GOAWAYs. */
    private static final long CLOSE_WAIT_MILLIS = 1000;

    /** Each open connection, and whether it has been told to go away. */
    private final Map<Http2Channel, Boolean> open = new ConcurrentHashMap<>();
    private final int maxFields;
    private final int maxHeaderListBytes;
    private final HttpHandler next;
    private volatile boolean draining;

    /**
     * @param maxFields          {@code http.max-headers}, which {@link HeaderFieldLimit} applies to each h2 request
     * @param maxHeaderListBytes {@code http2.max-header-list-size}
     */
    public Http2Connections(int maxFields, int maxHeaderListBytes, HttpHandler next) {
        this.maxFields = maxFields;
        this.maxHeaderListBytes = maxHeaderListBytes;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.getConnection() instanceof Http2ServerConnection connection) {
            Http2Channel channel = channel(connection);
            if (open.putIfAbsent(channel, false) == null) {
                HeaderFieldLimit.install(channel, maxFields, maxHeaderListBytes); // h2c; ALPN's has them already
                channel.addCloseTask(closed -> open.remove(closed));
                if (!channel.isOpen()) {
                    open.remove(channel); // closed before its close task was added
                }
            }
            if (draining) {
                tellToGoAway(channel);
            }
        }
        next.handleRequest(exchange);
    }

    /** The connection an HTTP/2 stream belongs to. */
    static Http2Channel channel(Http2ServerConnection stream) {
        return (Http2Channel) CHANNEL.get(stream);
    }

    /** The stream a request came on; null for the request of an h2c upgrade, which came over HTTP/1.1. */
    static Http2StreamSourceChannel stream(Http2ServerConnection stream) {
        return (Http2StreamSourceChannel) STREAM.get(stream);
    }

    /** From now on every HTTP/2 connection, open or still to send its first request, is told to go away. */
    public void goAway() {
        draining = true;
        for (Http2Channel channel : open.keySet()) {
            channel.getIoThread().execute(() -> tellToGoAway(channel));
        }
    }

    /** HTTP/2 connections not closed yet. */
    public int open() {
        return open.size();
    }

    /**
     * Sends the final GOAWAY (the last stream served) on every connection still open, which Undertow then closes;
     * waits a moment for the I/O threads to have done so, so no stream starts on an app being undeployed.
     */
    public void close() throws InterruptedException {
        CountDownLatch sent = new CountDownLatch(open.size());
        for (Http2Channel channel : open.keySet()) {
            channel.getIoThread().execute(() -> {
                channel.sendGoAway(Http2Channel.ERROR_NO_ERROR);
                sent.countDown();
            });
        }
        sent.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** On the connection's I/O thread: once per connection. */
    private void tellToGoAway(Http2Channel channel) {
        if (channel.isOpen() && open.replace(channel, false, true)) {
            DrainingGoAway.send(channel);
        }
    }
}
