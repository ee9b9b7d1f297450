package io.warhorse.core.master;

import io.warhorse.core.config.Settings;
import io.warhorse.core.worker.WorkerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a worker as a {@code java} process of the same JDK and class path as the master, with the JVM options and
 * environment from {@code worker.jvm-options} and {@code worker.env}. The listening socket on the master's fd 0
 * becomes the worker's fd 0 ({@code redirectInput(INHERIT)}); stdout and stderr are the master's, so worker logs
 * and thread dumps land in the master's log. Workers start from the {@link AotCache} unless
 * {@code worker.class-data-archive} is "".
 */
final class JavaWorkerLauncher implements WorkerLauncher {

    private final Path java;
    private final String classPath;
    private final boolean reusePort;
    private final AotCache aot;

    JavaWorkerLauncher(boolean reusePort) {
        this.java = Path.of(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        this.classPath = System.getProperty("java.class.path");
        this.reusePort = reusePort;
        this.aot = new AotCache(java, classPath);
    }

    @Override
    public WorkerProcessRef launch(int id, Generation generation, Path controlSocket) throws IOException {
        Settings settings = generation.settings();
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        AotCache.Plan plan = aot.plan(settings);
        command.addAll(plan.jvmOptions());
        command.addAll(settings.workerProcess().jvmOptions());
        // jboss-threads (under XNIO) still calls sun.misc.Unsafe; allow it without JDK 25's warning in every worker.
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-cp", classPath, WorkerProcess.class.getName(),
                "--settings", generation.settingsFile().toString(),
                "--control", controlSocket.toString(),
                "--id", Integer.toString(id),
                "--generation", Integer.toString(generation.number())));
        if (reusePort) {
            command.add("--reuse-port");
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(settings.workerProcess().env());
        Process process = builder.start();
        process.onExit().thenAccept(done -> plan.onExit().accept(done.exitValue()));
        return new Ref(process);
    }

    private record Ref(Process process) implements WorkerProcessRef {

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
                return !Libc.kill(process.pid(), number(name)).failed();
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
        public CompletableFuture<Integer> exit() {
            return process.onExit().thenApply(Process::exitValue);
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

        private static int number(String name) {
            return switch (name.toUpperCase(Locale.ROOT)) {
                case "HUP" -> 1;
                case "INT" -> 2;
                case "QUIT" -> 3;
                case "KILL" -> 9;
                case "USR1" -> 10;
                case "USR2" -> 12;
                case "TERM" -> 15;
                case "CONT" -> 18;
                case "STOP" -> 19;
                default -> throw new IllegalArgumentException("no signal " + name);
            };
        }
    }
}
