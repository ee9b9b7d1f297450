package io.warhorse.core.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the master tells a worker on its command line, built ({@link #arguments()}) and parsed ({@link #parse}) here
 * and nowhere else: {@code WorkerProcess --settings FILE --control SOCKET --run-dir DIR --id N --generation G
 * [--reuse-port] [--cpus LIST]}. Immutable; used on the master's arbiter thread and the worker's main thread.
 *
 * @param settings     the resolved settings of the worker's generation (the worker reads them, not the flags)
 * @param control      the master's control socket
 * @param runDirectory the master's private run directory (mode 0700, removed at a clean stop): files the workers of
 *                     one master share on this host, such as the local session store's
 * @param id           the worker's id in the master's table (1, 2, ...; a replacement gets a new one)
 * @param generation   the configuration generation (1 at start, one more per reload)
 * @param reusePort    bind the app port with SO_REUSEPORT instead of using the socket inherited on fd 0
 * @param cpus         the CPUs to pin the worker's threads to ({@code warhorse.cpu-affinity}), or null for all
 */
public record WorkerCommandLine(Path settings, Path control, Path runDirectory, int id, int generation, boolean reusePort,
                                CpuSet cpus) {

    /** The worker's entry point, named as a string: the master imports nothing from the worker package. */
    public static final String MAIN_CLASS = "io.warhorse.core.worker.WorkerProcess";

    /**
     * The environment variable with the worker's secret for its hello: the environment of a process is readable by
     * its own user only ({@code /proc/PID/environ}), its command line by everyone.
     */
    public static final String SECRET_VARIABLE = "WARHORSE_WORKER_SECRET";

    private static final String USAGE =
            "usage: WorkerProcess --settings FILE --control SOCKET --run-dir DIR --id N --generation G [--reuse-port]"
                    + " [--cpus LIST]";

    /** The arguments after the main class. */
    public List<String> arguments() {
        List<String> arguments = new ArrayList<>(List.of("--settings", settings.toString(), "--control", control.toString(),
                "--run-dir", runDirectory.toString(), "--id", Integer.toString(id), "--generation", Integer.toString(generation)));
        if (reusePort) {
            arguments.add("--reuse-port");
        }
        if (cpus != null) {
            arguments.addAll(List.of("--cpus", cpus.toString()));
        }
        return arguments;
    }

    /** @throws IllegalArgumentException naming what is wrong, when {@code argv} is not what {@link #arguments()} makes */
    public static WorkerCommandLine parse(String[] argv) {
        Path settings = null;
        Path control = null;
        Path runDirectory = null;
        int id = -1;
        int generation = -1;
        boolean reusePort = false;
        CpuSet cpus = null;
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--settings" -> settings = Path.of(value(argv, ++i));
                case "--control" -> control = Path.of(value(argv, ++i));
                case "--run-dir" -> runDirectory = Path.of(value(argv, ++i));
                case "--id" -> id = number(argv, ++i);
                case "--generation" -> generation = number(argv, ++i);
                case "--reuse-port" -> reusePort = true;
                case "--cpus" -> cpus = cpuList(argv, ++i);
                default -> throw new IllegalArgumentException("unknown argument " + argv[i] + "; " + USAGE);
            }
        }
        if (settings == null || control == null || runDirectory == null || id < 0 || generation < 0) {
            throw new IllegalArgumentException(USAGE);
        }
        return new WorkerCommandLine(settings, control, runDirectory, id, generation, reusePort, cpus);
    }

    private static String value(String[] argv, int i) {
        if (i >= argv.length) {
            throw new IllegalArgumentException(argv[i - 1] + " needs a value; " + USAGE);
        }
        return argv[i];
    }

    private static CpuSet cpuList(String[] argv, int i) {
        String value = value(argv, i);
        try {
            return CpuSet.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(argv[i - 1] + " needs a CPU list such as 0-1,3: " + e.getMessage(), e);
        }
    }

    private static int number(String[] argv, int i) {
        String value = value(argv, i);
        if (!value.matches("\\d{1,9}")) {
            throw new IllegalArgumentException(argv[i - 1] + " needs a whole number, got '" + value + "'");
        }
        return Integer.parseInt(value);
    }
}
