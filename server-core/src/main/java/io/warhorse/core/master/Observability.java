package io.warhorse.core.master;

import io.warhorse.core.Threads;
import io.warhorse.core.config.HostPort;
import io.warhorse.core.config.Settings;
import io.warhorse.core.master.admin.AdminServer;
import io.warhorse.core.metrics.MasterReporters;
import io.warhorse.core.metrics.MasterView;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's admin listener, metrics reporters and the sampling of its history (every {@code metrics.interval},
 * on a thread of its own), started after the control socket and stopped with the master. Their settings are read
 * once at start: a reload does not move the admin port.
 */
final class Observability implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Observability.class);

    private final AdminServer admin;
    private final MasterReporters reporters;
    private final ScheduledExecutorService sampler;

    private Observability(AdminServer admin, MasterReporters reporters, ScheduledExecutorService sampler) {
        this.admin = admin;
        this.reporters = reporters;
        this.sampler = sampler;
    }

    /** Fails if the admin listener could not listen where the settings say (see {@link AdminServer#checkBindable}). */
    static void check(Settings settings) throws AdminServer.AdminBindException {
        Settings.Admin adminSettings = settings.observability().admin();
        if (adminSettings.enabled()) {
            AdminServer.checkBindable(adminSettings.bindBeside(settings.bind()));
        }
    }

    static Observability start(Settings settings, MasterView view, Threads threads)
            throws AdminServer.AdminBindException, IOException {
        Settings.Admin adminSettings = settings.observability().admin();
        AdminServer admin = null;
        if (adminSettings.enabled()) {
            HostPort bind = adminSettings.bindBeside(settings.bind());
            admin = AdminServer.start(bind, view, adminSettings.maxConnections(), settings.http().requestParseTimeout());
            LOG.info("admin listener at http://{}:{}/ (status page, /metrics, /metrics.json)", bind.host(), admin.address().getPort());
        }
        try {
            return new Observability(admin, MasterReporters.start(settings.observability().metrics(), view, threads),
                    startSampling(settings.observability().metrics(), view, threads));
        } catch (IOException | RuntimeException e) {
            if (admin != null) {
                admin.close();
            }
            throw e;
        }
    }

    private static ScheduledExecutorService startSampling(Settings.Metrics settings, MasterView view, Threads threads) {
        ScheduledExecutorService sampler = threads.scheduler("metrics-history");
        long interval = Math.max(1, settings.interval().toMillis());
        sampler.scheduleAtFixedRate(() -> {
            try {
                view.sample(System.currentTimeMillis());
            } catch (RuntimeException e) { // a failed sample must not end the schedule
                LOG.warn("cannot sample the metrics history: {}; the status page's charts miss this interval", e.toString());
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
        return sampler;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        if (reporters != null) {
            reporters.close();
        }
        if (admin != null) {
            admin.close();
        }
    }
}
