package io.warhorse.core.edge;

import io.undertow.server.OpenListener;
import java.util.function.UnaryOperator;
import org.xnio.StreamConnection;

/**
 * The open listener a PROXY-protocol connection reaches once its PROXY header is read: it puts the raw-byte watches
 * under the connection, then hands it on, so a client behind a trusted proxy meets the same checks (request
 * smuggling, HTTP version, h2c field limits) as one that connects directly. It is deliberately not one of
 * Undertow's {@code DelegateOpenListener}s: Undertow's PROXY reader then pushes the bytes it read past the header
 * back beneath the connection's reads, where the watches see them, instead of handing them to the HTTP parser
 * directly. Runs on the connection's I/O thread.
 */
final class WatchedOpenListener extends ForwardingOpenListener {

    private final UnaryOperator<StreamConnection> watches;

    WatchedOpenListener(OpenListener next, UnaryOperator<StreamConnection> watches) {
        super(next);
        this.watches = watches;
    }

    @Override
    public void handleEvent(StreamConnection connection) {
        next.handleEvent(watches.apply(connection));
    }
}
