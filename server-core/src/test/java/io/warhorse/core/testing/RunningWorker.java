package io.warhorse.core.testing;

import com.codahale.metrics.MetricRegistry;
import io.warhorse.core.Threads;
import io.warhorse.core.config.HostPort;
import io.warhorse.core.config.Settings;
import io.warhorse.core.process.ListenSocket;
import io.warhorse.core.worker.WorkerKinds;
import io.warhorse.core.worker.WorkerServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

/**
 * A worker served in the test's own JVM on 127.0.0.1 and a free port: the same {@link WorkerServer} the worker
 * process runs, minus the process. Close it to stop it.
 */
public final class RunningWorker implements AutoCloseable {

    private final WorkerServer server;
    private final MetricRegistry metrics;
    private final InetSocketAddress address;

    private RunningWorker(WorkerServer server, MetricRegistry metrics) {
        this.server = server;
        this.metrics = metrics;
        this.address = server.address();
    }

    /** Deploys {@code settings.apps()} with {@code settings.worker()} and serves them on 127.0.0.1, port 0. */
    public static RunningWorker start(Settings settings) throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        var kind = WorkerKinds.load().get(settings.worker());
        WorkerServer server = WorkerServer.create(settings, kind, Threads.create(), metrics);
        try {
            server.deploy();
            server.serve(ListenSocket.bind(new HostPort("127.0.0.1", 0), settings.backlog()));
        } catch (Exception | Error e) {
            server.stop(Duration.ZERO);
            throw e;
        }
        return new RunningWorker(server, metrics);
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + address.getPort() + pathAndQuery);
    }

    public int port() {
        return address.getPort();
    }

    public MetricRegistry metrics() {
        return metrics;
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(2));
    }
}
