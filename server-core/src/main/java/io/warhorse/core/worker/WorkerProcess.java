package io.warhorse.core.worker;

import io.warhorse.core.process.CpuAffinity;
import io.warhorse.core.process.CpuSet;
import io.warhorse.core.process.ExitCodes;
import io.warhorse.core.process.Libc;
import io.warhorse.core.process.WorkerCommandLine;
import io.warhorse.core.process.Signals;
import io.warhorse.core.process.ListenSocket;
import com.codahale.metrics.MetricRegistry;
import io.undertow.Undertow;
import io.warhorse.core.Threads;
import io.warhorse.core.config.InvalidConfigException;
import io.warhorse.core.config.ResolvedSettings;
import io.warhorse.core.config.Settings;
import io.warhorse.core.control.Message;
import io.warhorse.core.deploy.DeploymentException;
import io.warhorse.core.logging.ErrorLog;
import io.warhorse.core.logging.Logging;
import io.warhorse.core.metrics.JvmMetrics;
import io.warhorse.core.metrics.MetricsShipper;
import io.warhorse.core.spi.SessionStoreException;
import io.warhorse.core.spi.WorkerKind;
import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Xnio;

/**
 * A worker process started by the master with a {@link WorkerCommandLine}. The listening socket is its fd 0 (or, with {@code --reuse-port}, a socket of its
 * own on the same port).
 *
 * <p>Contract, in order: connect to the master and start heartbeating (so a slow deploy is not mistaken for a hang);
 * deploy every app (exit 4 if one fails, before accepting anything); accept and report {@code ready}; serve until
 * TERM (graceful: stop accepting, drain up to graceful-timeout, exit 0), INT (at once) or the master's loss
 * (graceful). Exit 3 if it cannot boot at all. Runs on the process's main thread.
 */
public final class WorkerProcess {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);

    private WorkerProcess() {}

    /**
     * Logback's own ServletContainerInitializer is on the worker's class path, so every app gets its
     * LogbackServletContextListener, which stops the process's one LoggerContext when the app is undeployed: every
     * line the worker logs after an undeploy (its "stopped", a drain cut off) was lost. warhorse owns the logging.
     */
    private static final String LOGBACK_SERVLET_INITIALIZER_OFF = "logbackDisableServletContainerInitializer";
    /** How long after ready a worker builds the platform MBean server (see {@link LateMBeans}). */
    private static final Duration MBEANS_AFTER_READY = Duration.ofSeconds(2);

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (Throwable e) {
            // never let main end by an exception: XNIO's I/O threads are not daemons, and they would keep the JVM,
            // and the port it shares, alive after the master has gone
            LOG.error("worker {} failed: {}", ProcessHandle.current().pid(), e.toString(), e);
            System.err.println("warhorse worker: failed: " + e);
            code = ExitCodes.SOFTWARE;
        }
        System.exit(code);
    }

    static int run(String[] argv) {
        long mainNanos = System.nanoTime();
        Threads threads = Threads.create();
        System.setProperty(LOGBACK_SERVLET_INITIALIZER_OFF, "true");
        // Undertow and XNIO log through JBoss Logging; named, it skips probing for four other logging systems
        System.setProperty("org.jboss.logging.provider", "slf4j");
        Logging.quietLibraries();
        // XNIO (which the worker kind needs first) starts on another core while this thread reads the settings (the
        // kind's call waits for it, if it is not done by then); the MBeans it registers wait in LateMBeans until
        // the worker is ready, so the JVM's platform MBean server is not built during boot
        threads.startDaemon("xnio-start", () -> Xnio.getInstance(Undertow.class.getClassLoader()));
        WorkerCommandLine args;
        Settings settings;
        try {
            args = WorkerCommandLine.parse(argv);
            WorkerKinds kinds = WorkerKinds.load();
            settings = ResolvedSettings.read(args.settings(), new HashSet<>(kinds.names()));
            if (settings.master().privileges().umask() >= 0) {
                Libc.umask(settings.master().privileges().umask()); // before the worker creates any file
            }
            ErrorLog.configure(settings);
            if (args.cpus() != null) {
                pin(args.cpus());
            }
            return serve(args, settings, kinds.get(settings.worker()), threads, new BootClock(mainNanos));
        } catch (InvalidConfigException | IllegalArgumentException | IOException | SessionStoreException e) {
            System.err.println("warhorse worker: cannot boot: " + e.getMessage());
            return ExitCodes.WORKER_BOOT_ERROR;
        }
    }

    private static int serve(WorkerCommandLine args, Settings settings, WorkerKind kind, Threads threads, BootClock boot)
            throws IOException {
        boot.mark("settings");
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<Duration> grace = new AtomicReference<>(settings.gracefulTimeout());
        MetricRegistry metrics = new MetricRegistry();
        WorkerServer server = WorkerServer.create(settings, kind, threads, metrics, args.runDirectory());
        boot.mark("server");
        String secret = System.getenv(WorkerCommandLine.SECRET_VARIABLE);
        if (secret == null) {
            throw new IllegalArgumentException(WorkerCommandLine.SECRET_VARIABLE + " is not set: workers are started by the master");
        }
        try (ControlClient control = ControlClient.connect(args.control(), args.id(), kind.name(), secret)) {
            boot.mark("control");
            AtomicBoolean lost = new AtomicBoolean();
            Runnable masterLost = () -> { // each heartbeat that fails to reach the master calls it: say it once
                if (lost.compareAndSet(false, true)) {
                    LOG.warn("worker {} lost its master; stopping gracefully", ProcessHandle.current().pid());
                }
                stop.countDown();
            };
            long dueFrom = settings.master().maxRequests() > 0 ? settings.master().maxRequests() : Long.MAX_VALUE;
            control.startHeartbeat(threads, Duration.ofNanos(settings.master().timeout().toNanos() / 4), dueFrom,
                    server::requestsServed, server::requestsInFlight, masterLost);
            MetricsShipper shipper = settings.observability().metrics().enabled()
                    ? startShipping(metrics, settings, control, server, threads) : null;
            Signals.on("USR1", () -> reopenLogs(server));
            Signals.on("TERM", stop::countDown);
            Signals.on("INT", () -> {
                if (stop.getCount() == 0) { // already draining: stop now means now, not after graceful-timeout
                    LOG.warn("worker {} told to stop now while draining; requests in flight are cut off",
                            ProcessHandle.current().pid());
                    System.exit(ExitCodes.OK);
                }
                grace.set(Duration.ZERO);
                stop.countDown();
            });
            ServerSocketChannel socket;
            try {
                boot.mark("signals");
                server.deploy();
                boot.mark("apps");
                socket = listeningSocket(args, settings);
                server.serve(socket);
                boot.mark("listen");
            } catch (DeploymentException e) {
                if (e.getCause() == null) { // warhorse's own finding (not a WAR, a bad web.xml): the message says it all
                    LOG.error("app failed to load: {}", e.getMessage());
                } else { // the app's own code or a library failed: its stack trace is what the user needs
                    LOG.error("app failed to load: {}", e.getMessage(), e.getCause());
                }
                System.err.println("warhorse worker: " + e.getMessage());
                server.stop(Duration.ZERO);
                return ExitCodes.APP_LOAD_ERROR;
            }
            control.listen(threads, message -> {
                if (message instanceof Message.Unready) {
                    server.unready();
                }
            }, masterLost);
            control.ready();
            if (shipper != null) {
                JvmMetrics.register(metrics); // after ready: not on the way to serving
            }
            LOG.info("worker {} (id {}, generation {}, kind {}) serving {}; boot {}", ProcessHandle.current().pid(), args.id(),
                    args.generation(), kind.name(), settings.apps(), boot);
            // the JVM's platform MBean server and XNIO's MBeans on it (~100 ms of CPU on two cores) once the first
            // requests have been served, not while they wait
            if (!awaitQuietly(stop, MBEANS_AFTER_READY)) {
                LateMBeans.openNow();
                awaitQuietly(stop);
            }
            if (!args.reusePort()) {
                StandardStreams.closeKeeping(socket);
            }
            boolean drained = server.stop(grace.get());
            if (shipper != null) {
                shipper.close();
            }
            LOG.info("worker {} stopped{}", ProcessHandle.current().pid(), drained ? "" : " (requests cut off)");
            return ExitCodes.OK;
        }
    }

    /** Every thread of this worker, and so every thread they start, on its share of the CPUs (cpu-affinity). */
    private static void pin(CpuSet cpus) {
        try {
            int threads = CpuAffinity.pinAll(cpus);
            LOG.info("worker {} pinned to CPU(s) {} ({} threads so far)", ProcessHandle.current().pid(), cpus, threads);
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.warn("worker {} runs unpinned: {}", ProcessHandle.current().pid(), e.getMessage());
        }
    }

    private static MetricsShipper startShipping(MetricRegistry metrics, Settings settings, ControlClient control,
            WorkerServer server, Threads threads) {
        return MetricsShipper.start(metrics, settings.observability().metrics().interval(),
                json -> control.send(new Message.Metrics(json)),
                server::recordCompleted, threads);
    }

    private static void reopenLogs(WorkerServer server) {
        ErrorLog.reopen();
        try {
            server.reopenLogs();
        } catch (IOException e) {
            LOG.error("cannot reopen the access log: {}", e.toString());
        }
    }

    private static ServerSocketChannel listeningSocket(WorkerCommandLine args, Settings settings) throws IOException {
        if (args.reusePort()) {
            return ListenSocket.bindReusePort(settings.bind(), settings.backlog());
        }
        Channel inherited = System.inheritedChannel();
        if (inherited instanceof ServerSocketChannel channel) {
            return channel;
        }
        throw new IOException("fd 0 is not a listening socket (" + inherited + "); workers are started by the master");
    }

    /**
     * The JDK's channel from {@code System.inheritedChannel()} "detaches the standard streams" when closed: it dup2s
     * /dev/null onto fds 0, 1 and 2. Closed as it is when a worker stops, it took the worker's stdout and stderr
     * with it, and every line after (its "stopped", the apps' logs of the requests being drained, a thread dump on
     * SIGQUIT) vanished. So the listening socket is closed here first, with copies of fds 1 and 2 put back after.
     */
    private static final class StandardStreams {
        static void closeKeeping(ServerSocketChannel inherited) {
            try {
                int out = Libc.dup(1).value();
                int err = Libc.dup(2).value();
                try {
                    inherited.close();
                } finally {
                    restore(out, 1);
                    restore(err, 2);
                }
            } catch (IOException | RuntimeException | LinkageError e) {
                LOG.warn("closing the listening socket: {}", e.toString());
            }
        }

        private static void restore(int copy, int fd) {
            if (copy >= 0) {
                Libc.dup2(copy, fd);
                Libc.close(copy);
            }
        }
    }

    /** Where a worker's boot went, for its "serving" line: the JVM's own start, then each phase, in ms. */
    private static final class BootClock {
        private final StringBuilder phases = new StringBuilder();
        private long last;

        BootClock(long mainNanos) {
            long sinceProcessStart = sinceProcessStartMillis();
            if (sinceProcessStart >= 0) {
                phases.append("jvm ").append(sinceProcessStart - (System.nanoTime() - mainNanos) / 1_000_000).append(" ms");
            }
            last = mainNanos;
        }

        /**
         * Milliseconds since this process started, to the kernel's 10 ms tick: its start in ticks since boot
         * ({@code /proc/self/stat}) against the time since boot ({@code /proc/uptime}). (The JDK's start instant adds
         * the boot time, which Linux gives in whole seconds: up to a second off.) -1 if they cannot be read.
         */
        private static long sinceProcessStartMillis() {
            try {
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
                // after the command's name in parentheses, which may hold spaces: state is field 3, starttime field 22
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long startTicks = Long.parseLong(fields[19]);
                String uptime = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime"));
                double upSeconds = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
                return Math.round(upSeconds * 1000) - startTicks * 10; // USER_HZ is 100 on Linux
            } catch (java.io.IOException | RuntimeException e) {
                return -1;
            }
        }

        void mark(String phase) {
            long now = System.nanoTime();
            phases.append(phases.isEmpty() ? "" : ", ").append(phase).append(' ').append((now - last) / 1_000_000).append(" ms");
            last = now;
        }

        @Override
        public String toString() {
            return phases.toString();
        }
    }

    /** Whether the latch opened within {@code limit}; false when interrupted too. */
    private static boolean awaitQuietly(CountDownLatch latch, Duration limit) {
        try {
            return latch.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
