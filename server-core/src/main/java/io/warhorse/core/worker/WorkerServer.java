package io.warhorse.core.worker;

import com.codahale.metrics.MetricRegistry;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.ServletContainer;
import io.warhorse.core.FileTrees;
import io.warhorse.core.Threads;
import io.warhorse.core.config.AppSpec;
import io.warhorse.core.config.Settings;
import io.warhorse.core.config.WorkerSizing;
import io.warhorse.core.deploy.DeployedApp;
import io.warhorse.core.deploy.DeploymentException;
import io.warhorse.core.deploy.WarDeployer;
import io.warhorse.core.edge.EdgeListener;
import io.warhorse.core.edge.ForwardedRequest;
import io.warhorse.core.edge.Http2Connections;
import io.warhorse.core.edge.Http2HeaderBlock;
import io.warhorse.core.edge.RequestLimitErrors;
import io.warhorse.core.edge.StrictHttp;
import io.warhorse.core.logging.AccessLog;
import io.warhorse.core.metrics.RequestInstrumentation;
import io.warhorse.core.spi.KindContext;
import io.warhorse.core.spi.RequestRunner;
import io.warhorse.core.spi.WorkerKind;
import io.warhorse.core.tls.TlsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListeners;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * One worker's Undertow server: the worker kind's runner, the deployed apps under their context paths, and the
 * listener on a socket it is handed. Used in three steps, in this order, from the worker's main thread:
 * {@link #deploy()} (every app, or none: a failure undoes the others), {@link #serve} (start accepting), and
 * {@link #stop} (stop accepting, let requests in flight finish, undeploy). A stopped server is not restarted.
 */
public final class WorkerServer {

    /** Servlet context attribute holding the worker kind's name, for apps that want to show it. */
    public static final String WORKER_KIND_ATTRIBUTE = "io.warhorse.worker";

    private static final Logger LOG = LoggerFactory.getLogger(WorkerServer.class);
    /** How long a stopping worker waits for its I/O threads to close the connections left. */
    private static final Duration CONNECTIONS_CLOSE = Duration.ofSeconds(2);

    private final Settings settings;
    private final WorkerKind kind;
    private final RequestRunner runner;
    private final WarDeployer deployer;
    private final ServletContainer container = ServletContainer.Factory.newInstance();
    private final List<DeployedApp> apps = new ArrayList<>();
    private final PathHandler paths = new PathHandler();
    private final MetricRegistry metrics;
    private Drain drain;
    private Http2Connections http2;
    private HealthEndpoints health;
    private RequestCounter counter;
    /** Set by {@link #serve}; read by the metrics shipper's thread. */
    private volatile CompletionRecorder recorder;
    private XnioWorker xnioWorker;
    private AcceptingChannel<StreamConnection> acceptor;
    private AccessLog accessLog;

    private final RequestDeadlines deadlines;
    private final ScheduledExecutorService deadlineThread;
    private final SessionsOpening sessions;
    private final QueueShedding shedding;
    /** A run folder this server made for itself (no master gave one), deleted at stop; else null. */
    private final Path ownRunDir;

    private WorkerServer(Settings settings, WorkerKind kind, RequestRunner runner, MetricRegistry metrics, Threads threads,
                         SessionsOpening sessions, Path runDir, boolean ownsRunDir) {
        this.settings = settings;
        this.metrics = metrics;
        boolean limited = !settings.requestTimeout().isZero();
        this.deadlineThread = limited ? threads.scheduler("request-deadline") : null;
        this.deadlines = limited
                ? new RequestDeadlines(settings.requestTimeout(), deadlineThread, metrics.counter("requests.timeouts"))
                : null;
        this.kind = kind;
        this.runner = runner;
        this.deployer = WarDeployer.create(settings.deploy(), metrics);
        this.sessions = sessions;
        Settings.Shedding shed = settings.shedding();
        this.shedding = new QueueShedding(shed.queueTimeout(), new StandingQueue(shed.standingTarget(), shed.standingInterval()),
                metrics.counter("requests.rejected.queue-timeout"), metrics.counter("requests.rejected.standing-queue"),
                metrics.counter("requests.dropped.client-gone"));
        this.ownRunDir = ownsRunDir ? runDir : null;
    }

    /**
     * Starts the worker kind's threads and begins opening the session store (on a thread of its own: {@link #deploy}
     * waits for it); nothing is deployed or served yet.
     * {@code runDir}: the master's run folder, where the local session store lives.
     */
    public static WorkerServer create(Settings settings, WorkerKind kind, Threads threads, MetricRegistry metrics,
                                      Path runDir) {
        return start(settings, kind, threads, metrics, runDir, false);
    }

    /** As above, for a server without a master (tests, --check-config): its run folder is its own, deleted at stop. */
    public static WorkerServer create(Settings settings, WorkerKind kind, Threads threads, MetricRegistry metrics) {
        try {
            return start(settings, kind, threads, metrics, Files.createTempDirectory("warhorse-run-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run folder: " + e.getMessage(), e);
        }
    }

    private static WorkerServer start(Settings settings, WorkerKind kind, Threads threads, MetricRegistry metrics, Path runDir,
                                      boolean ownsRunDir) {
        SessionsOpening sessions = SessionsOpening.start(settings.sessions(), runDir, metrics, threads);
        try {
            return new WorkerServer(settings, kind, kind.start(new KindContext(settings, threads, metrics)), metrics, threads,
                    sessions, runDir, ownsRunDir);
        } catch (RuntimeException | Error e) {
            sessions.close();
            throw e;
        }
    }

    /**
     * Deploys every app; if one fails, undeploys those already deployed and throws. Throws the session store's
     * {@link io.warhorse.core.spi.SessionStoreException} first if it could not be opened. The store is first
     * needed when the first app's deployment is configured, after its WAR is unpacked and scanned: until then the
     * store goes on opening on its own thread.
     */
    public void deploy() throws DeploymentException {
        for (AppSpec spec : settings.apps()) {
            try {
                DeployedApp app = deployer.deploy(spec, this::configure, container);
                apps.add(app);
                paths.addPrefixPath(spec.contextPath(), app.handler());
            } catch (DeploymentException | RuntimeException e) {
                undeploy();
                sessions.get(); // a store that could not be opened is the reason, whatever the deployment made of it
                throw e;
            }
        }
        sessions.get();
    }

    private void configure(DeploymentInfo deployment) {
        deployment.addServletContextAttribute(WORKER_KIND_ATTRIBUTE, kind.name());
        runner.configure(deployment);
        deployment.setExceptionHandler(RequestLimitErrors.around(deployment.getExceptionHandler()));
        sessions.get().configure(deployment);
        deployment.addThreadSetupAction(shedding);
        if (deadlines != null) {
            deployment.addInnerHandlerChainWrapper(deadlines.wrapper());
        }
    }

    /** Starts accepting connections from {@code channel}, which is bound and listening. */
    public void serve(ServerSocketChannel channel) throws IOException {
        RequestRunner.Connections connections = runner.connections();
        xnioWorker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorkerBuilder()
                .populateFromOptions(workerOptions())
                .setExternalExecutorService(new ConnectionTasks(connections.tasks()))
                .build();
        HttpHandler routes = RouteLimits.wrap(settings.routeLimits(), metrics.counter("requests.rejected.route"),
                runner.admit(paths));
        accessLog = AccessLog.open(settings.observability().accessLog(), Threads.create());
        RequestInstrumentation timing = settings.observability().metrics().enabled() ? new RequestInstrumentation(metrics) : null;
        HttpHandler admitted = accessLog == null ? routes : accessLog.wrap(routes);
        AccessLog builtInLog = accessLog != null && accessLog.builtIn() ? accessLog : null;
        recorder = timing != null || builtInLog != null ? new CompletionRecorder(timing, builtInLog) : null;
        counter = new RequestCounter(metrics, recorder, admitted);
        drain = new Drain(counter, counter::active);
        HttpHandler forwarded = ForwardedRequest.wrap(settings.edge().trustedProxies(), withHealth(drain));
        http2 = new Http2Connections(settings.http().maxHeaders(), settings.edge().http2().maxHeaderListSize(), new Http2HeaderBlock(settings.http().requestParseTimeout(),
                new StrictHttp(settings.http().maxHeaders(), forwarded)));
        EdgeListener edge;
        try {
            edge = EdgeListener.create(settings.edge(), connections.buffers(), serverOptions(), http2, xnioWorker.getXnio());
        } catch (TlsException e) {
            throw new IOException(e.getMessage(), e);
        }
        drain.watch(edge.statistics(), http2);
        acceptor = XnioChannelAdapter.adapt(xnioWorker, channel, socketOptions());
        acceptor.getAcceptSetter().set(ChannelListeners.openListenerAdapter(edge));
        acceptor.resumeAccepts();
    }

    /** Reopens the access log file (USR1, {@code warhorse ctl reopen-logs}); nothing without one. */
    public void reopenLogs() throws IOException {
        if (accessLog != null) {
            accessLog.reopen();
        }
    }

    private HttpHandler withHealth(HttpHandler next) {
        Settings.Health paths = settings.health();
        if (!paths.enabled()) {
            return next;
        }
        health = new HealthEndpoints(paths.livenessPath(), paths.readinessPath(), next);
        return health;
    }

    /** Readiness answers 503 from now on (drain-delay); requests are still served. */
    public void unready() {
        if (health != null) {
            health.unready();
        }
    }

    /** Records, on the calling thread, the completed requests the recorder has not recorded yet. */
    public void recordCompleted() {
        CompletionRecorder current = recorder;
        if (current != null) {
            current.recordQueued();
        }
    }

    /** Requests completed since start. */
    public long requestsServed() {
        return counter == null ? 0 : counter.total();
    }

    /** Requests admitted and not yet complete. */
    public long requestsInFlight() {
        return counter == null ? 0 : counter.active();
    }

    /** The address the listener accepts on (the real port when bound to port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) acceptor.getLocalAddress();
    }

    /**
     * Stops accepting, serves what arrives on open connections with {@code Connection: close} (HTTP/2 ones get a
     * GOAWAY), waits up to {@code grace} for requests in flight, then undeploys every app and stops every thread. Returns false if
     * requests were still running.
     */
    public boolean stop(Duration grace) {
        boolean drained = true;
        if (acceptor != null) {
            unready();
            acceptor.suspendAccepts();
            closeQuietly(acceptor);
            drain.start();
            drained = awaitDrain(grace);
        }
        undeploy();
        stopConnections();
        sessions.close();
        deleteOwnRunDir();
        runner.close();
        if (recorder != null) {
            recorder.close(); // every completion recorded before the log closes and the last snapshot is shipped
        }
        if (accessLog != null) {
            closeQuietly(accessLog);
        }
        if (deadlineThread != null) {
            deadlineThread.shutdownNow();
        }
        return drained;
    }

    /**
     * Stops the XNIO worker (its I/O threads close what connections are left) before the kind's executor, which runs
     * the connections' tasks: the tasks of closing connections must still find it open.
     */
    private void stopConnections() {
        if (xnioWorker == null) {
            return;
        }
        xnioWorker.shutdownNow();
        try {
            xnioWorker.awaitTermination(CONNECTIONS_CLOSE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deleteOwnRunDir() {
        if (ownRunDir == null) {
            return;
        }
        try {
            FileTrees.delete(ownRunDir);
        } catch (IOException e) {
            LOG.debug("removing {}", ownRunDir, e);
        }
    }

    /** Waits for the drain, then ends the HTTP/2 connections that outlived it, before the apps go. */
    private boolean awaitDrain(Duration grace) {
        try {
            boolean drained = drain.await(grace, System::nanoTime);
            http2.close();
            return drained;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void undeploy() {
        for (DeployedApp app : apps.reversed()) {
            paths.removePrefixPath(app.spec().contextPath());
            app.close();
        }
        apps.clear();
    }

    private OptionMap workerOptions() {
        int io = settings.ioThreads() > 0 ? settings.ioThreads() : kind.ioThreads(WorkerSizing.of(settings));
        return OptionMap.builder()
                .set(Options.WORKER_NAME, "warhorse")
                .set(Options.WORKER_IO_THREADS, io)
                .set(Options.TCP_NODELAY, true)
                .set(Options.CORK, true)
                .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                .getMap();
    }

    private OptionMap socketOptions() {
        return OptionMap.builder()
                .set(Options.TCP_NODELAY, true)
                .set(Options.BALANCING_TOKENS, 1)
                .set(Options.BALANCING_CONNECTIONS, 2)
                .getMap();
    }

    private OptionMap serverOptions() {
        Settings.Http http = settings.http();
        return OptionMap.builder()
                .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                .set(UndertowOptions.ALWAYS_SET_DATE, true)
                .set(UndertowOptions.RECORD_REQUEST_START_TIME, true) // metrics, the access log, QueueShedding
                .set(UndertowOptions.ENABLE_CONNECTOR_STATISTICS, true)
                .set(UndertowOptions.MAX_HEADER_SIZE, (int) Math.min(Integer.MAX_VALUE, http.maxHeaderSize()))
                .set(UndertowOptions.MAX_HEADERS, http.maxHeaders())
                .set(UndertowOptions.MAX_PARAMETERS, http.maxParameters())
                .set(UndertowOptions.MAX_ENTITY_SIZE, http.maxEntitySize() > 0 ? http.maxEntitySize() : -1L)
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) http.requestParseTimeout().toMillis())
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) http.idleTimeout().toMillis())
                .getMap();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing {}", closeable, e);
        }
    }

}
