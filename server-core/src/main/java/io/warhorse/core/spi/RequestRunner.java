package io.warhorse.core.spi;

import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.servlet.api.DeploymentInfo;
import java.util.concurrent.Executor;

/**
 * What a started {@link WorkerKind} contributes to a worker's Undertow server. The worker calls
 * {@link #configure} for every app before deploying it, wraps its root handler once with {@link #admit},
 * and builds its listener and XNIO worker with {@link #connections}.
 */
public interface RequestRunner extends AutoCloseable {

    /**
     * What the worker's connections use: {@code buffers} for the listener and servlet streams (a kind may need one
     * without per-thread caches), and {@code tasks}, where Undertow runs the work it hands to "a worker thread"
     * rather than to a servlet's executor: WebSocket endpoint methods (each session's in order), HTTP upgrade
     * handlers, TLS handshake work. The kind keeps owning {@code tasks}: the worker never shuts it down, and it must
     * accept tasks until {@link #close()}.
     */
    record Connections(ByteBufferPool buffers, Executor tasks) {}

    /** Sets where the app's servlets run (its executor) and any per-app limits, before the app is deployed. */
    void configure(DeploymentInfo deployment);

    /**
     * Wraps the root handler with the kind's global admission cap, run on the XNIO I/O thread for every request
     * that reaches an app. A request over the cap must be answered at once (503), never parked without bound.
     */
    HttpHandler admit(HttpHandler next);

    /** The buffers and task executor of the worker's connections; asked once, before the worker listens. */
    Connections connections();

    /** Stops the kind's threads; requests still running are interrupted. */
    @Override
    void close();
}
