package io.undertow.server.handlers;

import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import io.warhorse.core.worker.HostCheck;

/**
 * Replaces, by coming first on a worker's class path, the wrapper Undertow 2.3's HTTP/1.1 reader puts around the
 * root handler of every request ({@code HostHeaderHandler.WRAPPER}): Undertow's own builds a new
 * {@link HostHeaderHandler} per request, which runs an IPv4 regular expression on every Host header. This one
 * returns {@link HostCheck}, which answers the plain case itself and hands every other to Undertow's handler.
 * {@code HostCheckTest} checks that Undertow's original still does only that.
 *
 * <p>Runs on the I/O thread that read the request.
 */
final class HostHeaderHandler$Wrapper implements HandlerWrapper {

    HostHeaderHandler$Wrapper() {}

    @Override
    public HttpHandler wrap(HttpHandler handler) {
        return HostCheck.around(handler);
    }
}
