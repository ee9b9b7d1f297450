package io.warhorse.core.worker;

import io.warhorse.core.process.ExitCodes;
import com.codahale.metrics.MetricRegistry;
import io.warhorse.core.Threads;
import io.warhorse.core.config.InvalidConfigException;
import io.warhorse.core.config.ResolvedSettings;
import io.warhorse.core.config.Settings;
import io.warhorse.core.logging.ErrorLog;
import io.warhorse.core.deploy.DeploymentException;
import io.warhorse.core.spi.WorkerKind;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code warhorse --check-config}: deploys every app exactly as a worker would, serves nothing, undeploys, and says
 * whether all of them loaded. In the command's own JVM when it has the workers' class path, else in a JVM of its
 * own ({@link #main}, started by the command with the resolved settings). Runs on the main thread.
 */
public final class AppCheck {

    private static final Logger LOG = LoggerFactory.getLogger(AppCheck.class);

    private AppCheck() {}

    /** {@code AppCheck SETTINGS}: the check in a JVM of the workers' class path, on settings the command resolved. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.exit(fail(ExitCodes.USAGE, "usage: AppCheck RESOLVED-SETTINGS-FILE"));
        }
        Settings settings;
        try {
            settings = ResolvedSettings.read(Path.of(args[0]), WorkerKinds.load().names());
        } catch (InvalidConfigException e) {
            e.problems().forEach(System.err::println);
            System.exit(ExitCodes.CONFIG);
            return;
        }
        ErrorLog.configure(settings);
        System.exit(run(settings));
    }

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
