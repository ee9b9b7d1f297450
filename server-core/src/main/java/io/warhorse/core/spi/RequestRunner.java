package io.warhorse.core.spi;

import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.servlet.api.DeploymentInfo;

/**
 * What a started {@link WorkerKind} contributes to a worker's Undertow server. The worker calls
 * {@link #configure} for every app before deploying it, wraps its root handler once with {@link #admit},
 * and builds its listener with {@link #bufferPool}.
 */
public interface RequestRunner extends AutoCloseable {

    /** Sets where the app's servlets run (its executor) and any per-app limits, before the app is deployed. */
    void configure(DeploymentInfo deployment);

    /**
     * Wraps the root handler with the kind's global admission cap, run on the XNIO I/O thread for every request
     * that reaches an app. A request over the cap must be answered at once (503), never parked without bound.
     */
    HttpHandler admit(HttpHandler next);

    /** The buffer pool the listener and servlet streams use; a kind may need one without per-thread caches. */
    ByteBufferPool bufferPool();

    /** Stops the kind's threads; requests still running are interrupted. */
    @Override
    void close();
}
