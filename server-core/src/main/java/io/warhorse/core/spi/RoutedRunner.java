package io.warhorse.core.spi;

import io.undertow.server.HttpHandler;
import io.undertow.servlet.api.DeploymentInfo;

/**
 * A kind's runner whose apps' servlets also get their {@link Route}s from an {@link Offload}; everything else is the
 * kind's own. Configured on the worker's main thread.
 */
final class RoutedRunner implements RequestRunner {

    private final RequestRunner delegate;
    private final Offload offload;

    RoutedRunner(RequestRunner delegate, Offload offload) {
        this.delegate = delegate;
        this.offload = offload;
    }

    @Override
    public void configure(DeploymentInfo deployment) {
        delegate.configure(deployment);
        offload.configure(deployment);
    }

    @Override
    public HttpHandler admit(HttpHandler next) {
        return delegate.admit(next);
    }

    @Override
    public Connections connections() {
        return delegate.connections();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
