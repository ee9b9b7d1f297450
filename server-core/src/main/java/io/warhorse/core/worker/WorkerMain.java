package io.warhorse.core.worker;

import com.codahale.metrics.MetricRegistry;
import io.warhorse.core.Threads;
import io.warhorse.core.config.Settings;
import io.warhorse.core.deploy.DeploymentException;
import io.warhorse.core.spi.WorkerKind;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker process: it owns Undertow, deploys the apps, serves until told to stop, and returns an exit code.
 *
 * <p>Contract: the apps are all deployed before the first connection is accepted, or the worker exits with
 * {@link ExitCodes#APP_LOAD_ERROR} and serves nothing; a worker that cannot start its kind or its listener exits
 * with {@link ExitCodes#WORKER_BOOT_ERROR} (or {@link ExitCodes#CONFIG} for a port in use). TERM stops gracefully
 * (requests in flight get up to {@code graceful-timeout}); INT stops at once. Runs on the process's main thread.
 */
public final class WorkerMain {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {}

    /** Binds {@code settings.bind()}, deploys every app, serves until TERM or INT; returns the exit code. */
    public static int serve(Settings settings) {
        WorkerKind kind;
        ServerSocketChannel channel;
        try {
            kind = WorkerKinds.load().get(settings.worker());
            channel = ListenSocket.bind(settings.bind(), settings.backlog());
        } catch (IllegalArgumentException | ListenSocket.ListenException e) {
            return fail(ExitCodes.CONFIG, e.getMessage());
        }
        return serve(settings, kind, channel);
    }

    private static int serve(Settings settings, WorkerKind kind, ServerSocketChannel channel) {
        WorkerServer server = WorkerServer.create(settings, kind, Threads.create(), new MetricRegistry());
        try {
            server.deploy();
            server.serve(channel);
        } catch (DeploymentException e) {
            LOG.error("app failed to load", e);
            server.stop(Duration.ZERO);
            return fail(ExitCodes.APP_LOAD_ERROR, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.error("worker failed to boot", e);
            server.stop(Duration.ZERO);
            return fail(ExitCodes.WORKER_BOOT_ERROR, "worker failed to boot: " + e);
        }
        LOG.info("worker (pid {}, kind {}) listening at http://{} serving {}", pid(), kind.name(),
                server.address().getHostString() + ":" + server.address().getPort(), settings.apps());
        Duration grace = awaitStopSignal(settings.gracefulTimeout());
        boolean drained = server.stop(grace);
        LOG.info("worker (pid {}) stopped{}", pid(), drained ? "" : "; requests still running after " + grace + " were cut off");
        return ExitCodes.OK;
    }

    /** Deploys every app without serving, then undeploys; returns 0 if all deployed, else the exit code. */
    public static int check(Settings settings) {
        WorkerKind kind;
        try {
            kind = WorkerKinds.load().get(settings.worker());
        } catch (IllegalArgumentException e) {
            return fail(ExitCodes.CONFIG, e.getMessage());
        }
        WorkerServer server = WorkerServer.create(settings, kind, Threads.create(), new MetricRegistry());
        try {
            server.deploy();
            LOG.info("config and apps OK: {}", settings.apps());
            return ExitCodes.OK;
        } catch (DeploymentException e) {
            LOG.error("app failed to load", e);
            return fail(ExitCodes.APP_LOAD_ERROR, e.getMessage());
        } finally {
            server.stop(Duration.ZERO);
        }
    }

    /** Blocks until TERM (returns the graceful timeout) or INT (returns zero: stop now). */
    private static Duration awaitStopSignal(Duration graceful) {
        CountDownLatch stop = new CountDownLatch(1);
        Duration[] grace = {graceful};
        Signals.on("TERM", () -> stop.countDown());
        Signals.on("INT", () -> {
            grace[0] = Duration.ZERO;
            stop.countDown();
        });
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return grace[0];
    }

    private static int fail(int code, String reason) {
        System.err.println("warhorse: " + reason);
        return code;
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }
}
