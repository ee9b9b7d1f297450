package io.warhorse.core.worker;

import io.warhorse.core.process.ExitCodes;
import com.codahale.metrics.MetricRegistry;
import io.warhorse.core.Threads;
import io.warhorse.core.config.Settings;
import io.warhorse.core.deploy.DeploymentException;
import io.warhorse.core.spi.WorkerKind;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code warhorse --check-config}: deploys every app exactly as a worker would, serves nothing, undeploys, and says
 * whether all of them loaded. Runs on the main thread.
 */
public final class AppCheck {

    private static final Logger LOG = LoggerFactory.getLogger(AppCheck.class);

    private AppCheck() {}

    /** Deploys every app without serving, then undeploys; returns 0 if all deployed, else the exit code. */
    public static int run(Settings settings) {
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

    private static int fail(int code, String reason) {
        System.err.println("warhorse: " + reason);
        return code;
    }

}
