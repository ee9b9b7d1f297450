package io.warhorse.core.edge;

import io.undertow.connector.ByteBufferPool;
import io.undertow.server.ConnectorStatistics;
import io.undertow.server.HttpHandler;
import io.undertow.server.OpenListener;
import org.xnio.OptionMap;

/**
 * An open listener in front of one of Undertow's: everything but opening a connection is the next one's. A
 * subclass says what it does to a connection before (or after) the next listener opens it. Runs on the threads the
 * next listener runs on.
 */
abstract class ForwardingOpenListener implements OpenListener {

    /** The listener that opens the connection; a subclass hands it the connection. */
    final OpenListener next;

    ForwardingOpenListener(OpenListener next) {
        this.next = next;
    }

    @Override
    public HttpHandler getRootHandler() {
        return next.getRootHandler();
    }

    @Override
    public void setRootHandler(HttpHandler rootHandler) {
        next.setRootHandler(rootHandler);
    }

    @Override
    public OptionMap getUndertowOptions() {
        return next.getUndertowOptions();
    }

    @Override
    public void setUndertowOptions(OptionMap undertowOptions) {
        next.setUndertowOptions(undertowOptions);
    }

    @Override
    public ByteBufferPool getBufferPool() {
        return next.getBufferPool();
    }

    @Override
    public ConnectorStatistics getConnectorStatistics() {
        return next.getConnectorStatistics();
    }

    @Override
    public void closeConnections() {
        next.closeConnections();
    }
}
