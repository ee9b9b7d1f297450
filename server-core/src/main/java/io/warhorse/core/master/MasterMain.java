package io.warhorse.core.master;

import io.warhorse.core.FileTrees;
import io.warhorse.core.process.NativeListener;
import io.warhorse.core.process.SystemdSocket;
import io.warhorse.core.Threads;
import io.warhorse.core.config.ConfigLoader;
import io.warhorse.core.config.HostPort;
import io.warhorse.core.config.ResolvedSettings;
import io.warhorse.core.config.Settings;
import io.warhorse.core.control.RunDirectory;
import io.warhorse.core.master.admin.AdminServer;
import io.warhorse.core.process.ExitCodes;
import io.warhorse.core.process.ListenSocket;
import io.warhorse.core.process.Signals;
import io.warhorse.core.reload.ReloadWatcher;
import io.warhorse.core.sessions.LocalStore;
import io.warhorse.core.sessions.SessionStores;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master process: binds the app port once, writes the resolved settings for the workers, opens the control
 * socket, installs the signal handlers and runs the {@link Arbiter} until it stops. It never accepts a connection
 * on the app port. Runs on the process's main thread.
 */
public final class MasterMain {

    private static final Logger LOG = LoggerFactory.getLogger(MasterMain.class);
    private static final List<String> SIGNALS = List.of("HUP", "TERM", "INT", "TTIN", "TTOU", "USR1");

    /** Produces the configuration again on HUP: the same file, environment and flags, read anew. */
    public interface ConfigSource {
        ConfigLoader.Loaded load() throws Exception;
    }

    private MasterMain() {}

    /** Serves {@code first} until stopped; returns the process exit code. */
    public static int run(ConfigLoader.Loaded first, ConfigSource source) {
        Settings settings = first.settings();
        Listener listener;
        try {
            listener = listen(settings);
        } catch (ListenSocket.ListenException e) {
            System.err.println("warhorse: " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        Path runtime;
        WorkerUser user;
        Path controlPath;
        try {
            controlPath = RunDirectory.socket(settings, listener.port(), System.getenv());
            user = WorkerUser.resolve(settings.master().privileges());
            runtime = runDirectory(user);
            giveFiles(settings, user);
        } catch (IOException e) {
            System.err.println("warhorse: " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        Path pidFile = settings.master().pidFile();
        Threads threads = Threads.create();
        try {
            writePidFile(pidFile, user);
            Generation generation = generation(1, first, runtime, listener.port());
            Arbiter[] arbiter = new Arbiter[1];
            try (ControlServer control = ControlServer.open(controlPath, threads, event -> arbiter[0].post(event));
                 ReloadWatcher watcher = ReloadWatcher.start(settings, first.config(), threads,
                         () -> Optional.ofNullable(arbiter[0]).ifPresent(a -> a.post(new Event.Signal("HUP"))))) {
                if (user != null) {
                    user.own(controlPath);
                }
                arbiter[0] = new Arbiter(generation, new JavaWorkerLauncher(listener.reusePort(), runtime, user),
                        number -> generation(number, reload(source, settings), runtime, listener.port()),
                        System::nanoTime, controlPath, listener.reusePort() ? () -> {} : NativeListener::releaseStdin);
                SIGNALS.forEach(name -> Signals.on(name, () -> arbiter[0].post(new Event.Signal(name))));
                LOG.info("warhorse master (pid {}) listening at http://{}:{} ({}), {} {} worker(s); control socket {}",
                        ProcessHandle.current().pid(), settings.bind().host(), listener.port(), listener.how(),
                        settings.master().workers(), settings.worker(), controlPath);
                return runObserved(arbiter[0], settings, threads, runtime);
            }
        } catch (AdminServer.AdminBindException e) {
            System.err.println("warhorse: " + e.getMessage());
            return ExitCodes.CONFIG;
        } catch (IOException e) {
            System.err.println("warhorse: " + e.getMessage());
            return ExitCodes.CONFIG;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.OK;
        } finally {
            deleteQuietly(pidFile);
            deleteTree(runtime);
        }
    }

    /**
     * The admin listener and the metrics reporters live exactly as long as the arbiter's loop. They start while the
     * first workers boot (their start-up, ~0.3 s, was otherwise all added to the master's), once the admin address
     * is known to be free, so that a port in use still fails before any worker starts.
     */
    private static int runObserved(Arbiter arbiter, Settings settings, Threads threads, Path runtime)
            throws AdminServer.AdminBindException, IOException, InterruptedException {
        Observability.check(settings);
        arbiter.step(Duration.ZERO); // spawns the first workers
        AtomicBoolean storeUnreachable = new AtomicBoolean();
        // The local store is a file the workers open as they boot (one that cannot fails its boot, which halts the
        // master with the reason): checking it here too would load SQLite into the master for nothing (~2 MiB).
        if (!LocalStore.Factory.NAME.equals(settings.sessions().store())) {
            threads.startDaemon("session-store-check", () -> {
                if (!sessionStoreAnswers(settings, runtime)) {
                    storeUnreachable.set(true);
                    arbiter.post(new Event.Signal("INT")); // the workers booting could serve no session: stop them
                }
            });
        }
        Observability observability;
        try {
            observability = Observability.start(settings, arbiter.view(), threads);
        } catch (AdminServer.AdminBindException | IOException | RuntimeException e) {
            arbiter.post(new Event.Signal("INT")); // taken between the check and now: stop the workers, then say why
            arbiter.run();
            throw e;
        }
        try (observability) {
            int code = arbiter.run();
            return storeUnreachable.get() ? ExitCodes.CONFIG : code;
        }
    }

    /**
     * Reads from a store other than the local one (Redis, say) once, on a thread of its own while the first workers
     * boot (opening it stays off the start-up's critical path): a store that cannot be reached stops warhorse.
     */
    private static boolean sessionStoreAnswers(Settings settings, Path runtime) {
        String problem;
        // In a folder of its own, removed after: a store's files in the run folder (the local store's database and
        // stamps) are the workers' to create, as the workers' user when the master is root and drops them.
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory(runtime, "store-check-");
            problem = SessionStores.check(settings.sessions(), scratch);
        } catch (IOException e) {
            problem = "cannot make a folder to check it in, in " + runtime + ": " + e.getMessage();
        } catch (RuntimeException | LinkageError e) { // a store's client missing or failing: stop, never hang
            LOG.error("checking the session store failed", e);
            problem = "checking it failed: " + e;
        } finally {
            if (scratch != null) {
                deleteTree(scratch);
            }
        }
        if (problem != null) {
            LOG.error("SESSION STORE UNREACHABLE (pid {}): {}; stopping. Start it, fix sessions.* in the "
                    + "configuration, or choose another store with --session-store", ProcessHandle.current().pid(), problem);
            System.err.println("warhorse: the session store cannot be used: " + problem);
        }
        return problem == null;
    }

    private record Listener(int port, boolean reusePort, String how) {}

    private static Listener listen(Settings settings) throws ListenSocket.ListenException {
        SystemdSocket systemd = SystemdSocket.fromEnvironment();
        if (systemd != null) {
            NativeListener adopted = NativeListener.adoptOntoStdin(systemd.fd(), systemd.port());
            return new Listener(adopted.port(), false, "socket from systemd, shared by every worker");
        }
        if (settings.master().reusePort()) {
            return new Listener(probeReusePort(settings), true, "reuse-port: a socket per worker, SO_REUSEPORT");
        }
        try {
            NativeListener bound = NativeListener.bindOntoStdin(settings.bind(), settings.backlog());
            return new Listener(bound.port(), false, "one socket shared by every worker");
        } catch (LinkageError | IllegalCallerException | IllegalStateException e) {
            LOG.warn("cannot hand the listening socket to the workers ({}); falling back to SO_REUSEPORT: each worker "
                    + "binds the port itself, and connections queued on a dying worker are reset", e.toString());
            return new Listener(probeReusePort(settings), true, "SO_REUSEPORT, a socket per worker");
        }
    }

    /** Checks the port is free (and picks one for port 0) without keeping a socket that would take connections. */
    private static int probeReusePort(Settings settings) throws ListenSocket.ListenException {
        try (ServerSocketChannel probe = ListenSocket.bind(settings.bind(), 1)) {
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new ListenSocket.ListenException("cannot listen on " + settings.bind() + ": " + e.getMessage(), e);
        }
    }

    private static ConfigLoader.Loaded reload(ConfigSource source, Settings current) throws Exception {
        ConfigLoader.Loaded next = source.load();
        if (!next.settings().bind().equals(current.bind())) {
            LOG.warn("reload: bind changed to {}; the socket stays on {} until a restart", next.settings().bind(), current.bind());
        }
        return next;
    }

    private static Generation generation(int number, ConfigLoader.Loaded loaded, Path runtime, int port) throws IOException {
        HostPort bound = new HostPort(loaded.settings().bind().host(), port);
        ConfigLoader.Loaded pinned = new ConfigLoader.Loaded(
                loaded.config().withValue("warhorse.bind", com.typesafe.config.ConfigValueFactory.fromAnyRef(bound.toString())),
                loaded.settings(), loaded.paths());
        Path file = ResolvedSettings.write(pinned, runtime.resolve("generation-" + number + ".conf"));
        return new Generation(number, loaded.settings(), file);
    }

    /**
     * The master's own folder in the private run directory, for the generations' settings and the workers' files;
     * both are the workers' user's when they run as another.
     */
    private static Path runDirectory(WorkerUser user) throws IOException {
        int uid = user == null ? RunDirectory.currentUid() : user.uid();
        int gid = user == null ? -1 : user.gid();
        Path base = RunDirectory.ensure(user == null ? RunDirectory.base(System.getenv())
                : RunDirectory.base(System.getenv(), user.uid()), uid, gid);
        deleteLeftovers(base);
        return RunDirectory.ensure(base.resolve("master-" + ProcessHandle.current().pid()), uid, gid);
    }

    /** The folders of masters that were killed (no clean stop removed them) and whose pid no longer runs. */
    private static void deleteLeftovers(Path base) throws IOException {
        try (Stream<Path> folders = Files.list(base)) {
            folders.filter(folder -> folder.getFileName().toString().matches("master-\\d{1,10}"))
                    .filter(folder -> ProcessHandle.of(Long.parseLong(folder.getFileName().toString().substring(7)))
                            .map(process -> !process.isAlive()).orElse(true))
                    .forEach(MasterMain::deleteTree);
        }
    }

    /** The log files the workers append to become theirs when they run as another user. */
    private static void giveFiles(Settings settings, WorkerUser user) throws IOException {
        if (user == null) {
            return;
        }
        Path errorLog = settings.observability().log().file();
        if (errorLog != null) {
            user.ownFile(errorLog);
        }
        String accessLog = settings.observability().accessLog().file();
        if (!accessLog.isEmpty() && !accessLog.equals("-")) {
            user.ownFile(Path.of(accessLog));
        }
    }

    private static void writePidFile(Path pidFile, WorkerUser user) throws IOException {
        if (pidFile != null) {
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
            if (user != null) {
                user.own(pidFile);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", file, e.getMessage());
        }
    }

    private static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.getMessage());
        }
    }
}
