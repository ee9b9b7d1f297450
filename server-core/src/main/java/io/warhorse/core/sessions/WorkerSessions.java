package io.warhorse.core.sessions;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.undertow.servlet.api.Deployment;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.spec.HttpSessionImpl;
import io.warhorse.core.Threads;
import io.warhorse.core.config.Settings;
import io.warhorse.core.spi.SessionStore;
import io.warhorse.core.spi.SessionStoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's sessions: the one store it opened, a {@link StoredSessionManager} per app (set on each deployment with
 * {@link #configure}), and the scavenger thread that expires sessions every {@code sessions.scavenge-interval}.
 * Opened and configured on the worker's main thread, before any app deploys; closed after the last is undeployed.
 */
public final class WorkerSessions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerSessions.class);
    private static final int EXPIRE_BATCH = 200;

    private final Settings.Sessions settings;
    private final SessionStore store;
    private final SessionCounters counters;
    private final List<StoredSessionManager> managers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scavenger;

    private WorkerSessions(Settings.Sessions settings, SessionStore store, MetricRegistry metrics, Threads threads) {
        this.settings = settings;
        this.store = new MeasuredStore(store, settings.store(), metrics);
        this.counters = SessionCounters.in(metrics);
        metrics.register("sessions.active", (Gauge<Integer>) () ->
                managers.stream().mapToInt(StoredSessionManager::cached).sum());
        this.scavenger = threads.scheduler("session-scavenger");
        long every = settings.scavengeInterval().toMillis();
        scavenger.scheduleWithFixedDelay(this::expire, every, every, TimeUnit.MILLISECONDS);
    }

    /** Opens the store {@code sessions.store} names; throws {@link SessionStoreException} if it cannot be reached. */
    public static WorkerSessions open(Settings.Sessions settings, Path runDir, MetricRegistry metrics, Threads threads) {
        long began = System.nanoTime();
        SessionStore store = SessionStores.open(settings, runDir);
        LOG.debug("session store {} opened in {} ms (pid {})", settings.store(), (System.nanoTime() - began) / 1_000_000,
                ProcessHandle.current().pid());
        return new WorkerSessions(settings, store, metrics, threads);
    }

    /** Gives the app warhorse's session manager and the handler that writes sessions back before responses. */
    public void configure(DeploymentInfo deployment) {
        deployment.setSessionManagerFactory(this::manager);
        deployment.addOuterHandlerChainWrapper(next -> new SessionCommitHandler(next, counters));
        deployment.addInnerHandlerChainWrapper(next -> exchange -> {
            exchange.putAttachment(StoredSessionManager.IN_APP, Boolean.TRUE);
            next.handleRequest(exchange);
        });
    }

    private StoredSessionManager manager(Deployment deployment) {
        DeploymentInfo info = deployment.getDeploymentInfo();
        String app = info.getContextPath().isEmpty() ? "/" : info.getContextPath();
        AttributeCodec codec = new AttributeCodec(app, info.getClassLoader());
        StoredSessionManager manager = new StoredSessionManager(info.getDeploymentName(), app, store, codec, counters,
                System::currentTimeMillis);
        manager.writer(new SessionWriter(app, store, codec, settings.saveAlways(), settings.touchInterval().toMillis(),
                session -> HttpSessionImpl.forSession(session, deployment.getServletContext(), false)));
        managers.add(manager);
        return manager;
    }

    private void expire() {
        for (StoredSessionManager manager : managers) {
            try {
                while (manager.expire(EXPIRE_BATCH) == EXPIRE_BATCH) {
                    // a full batch: more may be waiting
                }
            } catch (SessionStoreException e) {
                return; // counted and logged by MeasuredStore; the next round tries again
            } catch (RuntimeException e) {
                LOG.error("expiring sessions of {} failed (pid {}): {}", manager.getDeploymentName(),
                        ProcessHandle.current().pid(), e.toString(), e);
            }
        }
    }

    @Override
    public void close() {
        Threads.stop(scavenger, Duration.ofSeconds(5), true);
        managers.clear();
        store.close();
    }
}
