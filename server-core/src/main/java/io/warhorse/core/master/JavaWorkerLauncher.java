package io.warhorse.core.master;

import io.warhorse.core.process.CpuAffinity;
import io.warhorse.core.process.CpuSet;
import io.warhorse.core.process.Signals;
import io.warhorse.core.config.Settings;
import io.warhorse.core.config.WorkerSizing;
import io.warhorse.core.process.WorkerClassPath;
import io.warhorse.core.process.WorkerCommandLine;
import io.warhorse.core.sessions.LocalStore;
import io.warhorse.core.sessions.SqliteLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a worker as a {@code java} process of the same JDK as the master and the workers' class path
 * ({@link WorkerClassPath}: the master's own plus what only workers load), with the JVM options and
 * environment from {@code worker.default-jvm-options}, {@code worker.jvm-options} (see {@link WorkerJvmOptions})
 * and {@code worker.env}, and as many virtual-thread carriers as its share of the cores ({@link WorkerSizing}).
 * The listening socket on the master's fd 0 becomes the worker's fd 0 ({@code redirectInput(INHERIT)}); stdout
 * and stderr are the master's, so worker logs and thread dumps land in the master's log. Workers start from the {@link AotCache} unless
 * {@code worker.class-data-archive} is "". Under {@code warhorse.cpu-affinity} each worker is told its CPUs
 * ({@link CpuShares}). Launches run on the arbiter thread.
 */
final class JavaWorkerLauncher implements WorkerLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(JavaWorkerLauncher.class);

    private final Path java;
    private final String classPath;
    private final boolean reusePort;
    private final AotCache aot;
    private final Path runDirectory;
    private final WorkerUser user;
    /** The master's CPUs split among the workers, for warhorse.cpu-affinity: read on the first pinned launch (on
     * the arbiter thread), released from the process reaper's. */
    private volatile CpuShares cpuShares;
    /** The run directory's copy of SQLite's library, made on the first launch of a local-store worker. */
    private SqliteLibrary sqlite;
    private boolean sqliteCopied;
    private boolean cpusUnknownTold;

    /** Workers share {@code runDirectory}, the master's private run directory, and run as {@code user} unless null. */
    JavaWorkerLauncher(boolean reusePort, Path runDirectory, WorkerUser user) {
        this.runDirectory = runDirectory;
        this.user = user;
        this.java = java();
        this.classPath = WorkerClassPath.current();
        this.reusePort = reusePort;
        this.aot = new AotCache(java, classPath);
    }

    /** The {@code java} of this JVM, which workers run too. */
    static Path java() {
        return Path.of(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
    }

    @Override
    public WorkerProcessRef launch(int id, Generation generation, Path controlSocket, String secret) throws IOException {
        Settings settings = generation.settings();
        List<String> command = new ArrayList<>(user == null ? List.of() : user.commandPrefix());
        command.add(java.toString());
        AotCache.Plan plan = aot.plan(settings);
        command.addAll(plan.jvmOptions());
        // carriers for the worker's share of the cores; a -D of the user's, later, wins
        command.add(WorkerSizing.of(settings).carriersOption());
        command.addAll(sessionStoreOptions(settings));
        command.addAll(WorkerJvmOptions.of(settings));
        // jboss-threads (under XNIO) still calls sun.misc.Unsafe; allow it without JDK 25's warning in every worker.
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-cp", classPath,
                WorkerCommandLine.MAIN_CLASS));
        CpuSet cpus = cpus(settings);
        command.addAll(new WorkerCommandLine(generation.settingsFile(), controlSocket, runDirectory, id, generation.number(),
                reusePort, cpus).arguments());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(settings.workerProcess().env());
        builder.environment().put(WorkerCommandLine.SECRET_VARIABLE, secret);
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            release(cpus);
            throw e;
        }
        // The worker's exit is reported (and may end a stopping master) only once what its exit starts has run: its
        // CPUs given back, and the AOT cache's assembler started after a recording worker, which a master that
        // exited first would never start.
        CompletableFuture<Integer> exit = process.onExit().thenApply(done -> {
            int code = done.exitValue();
            try {
                release(cpus);
                plan.onExit().accept(code);
            } catch (RuntimeException e) {
                LOG.warn("after worker {} exited: {}", process.pid(), e.toString(), e);
            }
            return code;
        });
        return new Ref(process, exit, plan.note());
    }

    /** The CPUs to pin the worker to under warhorse.cpu-affinity, or null (off, or the master's CPUs unknown). */
    private CpuSet cpus(Settings settings) {
        if (!settings.master().cpuAffinity()) {
            return null;
        }
        if (cpuShares == null && !cpusUnknownTold) {
            cpuShares = CpuAffinity.allowed().map(CpuShares::new).orElse(null);
        }
        if (cpuShares == null) {
            if (!cpusUnknownTold) {
                cpusUnknownTold = true;
                LOG.warn("cpu-affinity: this system does not say which CPUs the master may use (no Cpus_allowed_list"
                        + " in /proc/self/status); workers run unpinned");
            }
            return null;
        }
        return cpuShares.take(Math.max(1, settings.master().workers()));
    }

    /** Gives a worker's CPUs back to the shares (null: it had none); on the arbiter or the process reaper's thread. */
    private void release(CpuSet cpus) {
        if (cpus != null) {
            cpuShares.release(cpus);
        }
    }

    /** For the local store: load SQLite from the run directory, where the master copied it once for all workers. */
    private List<String> sessionStoreOptions(Settings settings) {
        if (!LocalStore.Factory.NAME.equals(settings.sessions().store())) {
            return List.of();
        }
        if (!sqliteCopied) {
            sqliteCopied = true;
            sqlite = SqliteLibrary.copyInto(runDirectory);
        }
        return sqlite == null ? List.of() : sqlite.jvmOptions();
    }

    private record Ref(Process process, CompletableFuture<Integer> exit, String note) implements WorkerProcessRef {

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public boolean signal(String name) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                return Signals.send(process.pid(), name);
            } catch (LinkageError | IllegalCallerException noNativeAccess) {
                return signalWithoutLibc(name);
            }
        }

        /** Where the JVM denies native access: the JDK's TERM and KILL, and kill(1) for the rest. */
        private boolean signalWithoutLibc(String name) {
            switch (name) {
                case "TERM" -> process.destroy();
                case "KILL" -> process.destroyForcibly();
                default -> {
                    try {
                        return new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor() == 0;
                    } catch (IOException e) {
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
            return true;
        }

        @Override
        public long residentBytes() {
            return Ref.rss(process.pid());
        }

        static long rss(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return -1;
            }
            return -1;
        }
    }
}
