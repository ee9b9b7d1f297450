package io.warhorse.core.reload;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.warhorse.core.Threads;
import io.warhorse.core.config.AppSpec;
import io.warhorse.core.config.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --reload}: watches the apps (WAR files, exploded folders and everything below them), the files the
 * settings were read from and {@code reload.extra-files}; once a change has rested for {@code reload.settle}, it
 * calls {@code reload} once (the master posts what HUP posts: the health-gated, one-at-a-time rollout, which
 * stops and keeps the old workers if the new version fails). It knows nothing else of the master.
 *
 * <p>Runs on a thread of its own, {@code reload-watcher}, which sleeps in the kernel (or between polling passes)
 * until something changes: no busy loop. Start it with {@link #start}; {@link #close()} stops it.
 */
public final class ReloadWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadWatcher.class);
    /** A reload off: nothing to stop. */
    private static final ReloadWatcher OFF = new ReloadWatcher(null, Duration.ZERO, () -> {});
    private static final long IDLE_NANOS = TimeUnit.HOURS.toNanos(1);

    private final Changes changes;
    private final long settleNanos;
    private final Runnable reload;
    private volatile boolean running = true;
    private Thread thread;

    private ReloadWatcher(Changes changes, Duration settle, Runnable reload) {
        this.changes = changes;
        this.settleNanos = settle.toNanos();
        this.reload = reload;
    }

    /**
     * Starts watching when {@code reload.enabled} is set, else returns a watcher that does nothing.
     *
     * @param config   the merged configuration: the files its values came from are watched too (the {@code -c} file)
     * @param reload   what a settled change does; called on the watcher's thread
     */
    public static ReloadWatcher start(Settings settings, Config config, Threads threads, Runnable reload) {
        Settings.Reload options = settings.reload();
        if (!options.enabled()) {
            return OFF;
        }
        List<Path> targets = targets(settings, config);
        LOG.info("reload: watching {} path(s) ({}); a change that rests {} ms reloads as HUP does", targets.size(),
                targets, options.settle().toMillis());
        return start(changes(targets, options.pollInterval()), options.settle(), threads, reload);
    }

    /** Starts the watcher's thread on {@code changes}. */
    static ReloadWatcher start(Changes changes, Duration settle, Threads threads, Runnable reload) {
        ReloadWatcher watcher = new ReloadWatcher(changes, settle, reload);
        watcher.thread = threads.startDaemon("reload-watcher", watcher::watch);
        return watcher;
    }

    /** The apps, the files the settings came from, and the extra files, each once. */
    static List<Path> targets(Settings settings, Config config) {
        Set<Path> targets = new LinkedHashSet<>();
        settings.apps().stream().map(AppSpec::source).forEach(app -> targets.add(app.toAbsolutePath().normalize()));
        for (Map.Entry<String, ConfigValue> entry : config.entrySet()) {
            String file = entry.getValue().origin().filename();
            if (file != null) {
                targets.add(Path.of(file).toAbsolutePath().normalize());
            }
        }
        targets.addAll(settings.reload().extraFiles());
        return new ArrayList<>(targets);
    }

    private static Changes changes(List<Path> targets, Duration pollInterval) {
        try {
            return new WatchedTree(targets);
        } catch (IOException | RuntimeException e) {
            LOG.warn("reload: cannot use the kernel's change notifications ({}); comparing the files every {} ms "
                    + "instead (raise fs.inotify.max_user_watches to avoid this)", e.getMessage(), pollInterval.toMillis());
            return new PolledTree(targets, pollInterval);
        }
    }

    /** The loop: wait for a change, then for {@code settle} without one, then reload. */
    private void watch() {
        Path first = null;
        int more = 0;
        long lastChange = 0;
        while (running) {
            try {
                long wait = first == null ? IDLE_NANOS : lastChange + settleNanos - System.nanoTime();
                if (first != null && wait <= 0) {
                    fire(first, more);
                    first = null;
                    more = 0;
                    continue;
                }
                Path changed = changes.next(wait);
                if (changed != null) {
                    more += first == null ? 0 : 1;
                    first = first == null ? changed : first;
                    lastChange = System.nanoTime();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    return; // closed under it
                }
                LOG.error("reload: watching files failed ({}); --reload is off from now on, HUP still reloads", e.toString());
                return;
            }
        }
    }

    private void fire(Path first, int more) {
        LOG.info("RELOAD (master pid {}): {} changed{}; reloading as on HUP. If the new version fails to start, the "
                + "rollout stops and the current workers keep serving", ProcessHandle.current().pid(), first,
                more > 0 ? " (and " + more + " more change(s))" : "");
        reload.run();
    }

    @Override
    public void close() {
        if (this == OFF) {
            return;
        }
        running = false;
        thread.interrupt();
        try {
            changes.close();
        } catch (IOException e) {
            LOG.debug("reload: closing the watch: {}", e.toString());
        }
    }
}
