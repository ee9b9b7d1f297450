package io.warhorse.core.edge;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.protocols.http2.HeaderFieldLimit;
import io.undertow.protocols.http2.Http2Channel;
import io.undertow.server.DelegateOpenListener;
import io.undertow.server.protocol.framed.AbstractFramedChannel;
import io.undertow.server.protocol.http2.Http2OpenListener;
import java.lang.invoke.VarHandle;
import java.util.Set;
import org.xnio.StreamConnection;

/**
 * Undertow's listener for the h2 connections ALPN chooses, which puts {@link HeaderFieldLimit} on each connection it
 * opens, before the connection's first frame is read: the limits on a request's fields then hold from its first
 * request on. (An h2c connection gets them at its first request, {@link Http2Connections}: over Upgrade that
 * request came as HTTP/1.1, with HTTP/1.1's limits; with prior knowledge, {@link PriorKnowledgeLimits} puts them on
 * before its first frame.)
 * Undertow opens the connection inside its listener and keeps it in a private set, where this finds it. Runs on
 * the connection's I/O thread.
 */
final class Http2FieldLimits extends ForwardingOpenListener implements DelegateOpenListener {

    private static final String WHY = "limit the fields of HTTP/2 requests";
    private static final VarHandle CONNECTIONS = PrivateFields.of(Http2OpenListener.class, "connections", Set.class, WHY);
    private static final VarHandle UNDERLYING = PrivateFields.of(AbstractFramedChannel.class, "channel",
            StreamConnection.class, WHY);

    private final Http2OpenListener undertows;
    private final int maxFields;
    private final int maxHeaderListBytes;

    /**
     * @param maxFields          {@code http.max-headers}
     * @param maxHeaderListBytes {@code http2.max-header-list-size}
     */
    Http2FieldLimits(Http2OpenListener undertows, int maxFields, int maxHeaderListBytes) {
        super(undertows);
        this.undertows = undertows;
        this.maxFields = maxFields;
        this.maxHeaderListBytes = maxHeaderListBytes;
    }

    @Override
    public void handleEvent(StreamConnection connection, PooledByteBuffer alreadyRead) {
        undertows.handleEvent(connection, alreadyRead);
        // Undertow only asks for the connection's first read in there: nothing of it has been decoded yet
        @SuppressWarnings("unchecked")
        Set<Http2Channel> open = (Set<Http2Channel>) CONNECTIONS.get(undertows);
        for (Http2Channel channel : open) {
            if (UNDERLYING.get(channel) == connection) {
                HeaderFieldLimit.install(channel, maxFields, maxHeaderListBytes);
                return;
            }
        }
    }

    @Override
    public void handleEvent(StreamConnection connection) {
        handleEvent(connection, null);
    }
}
