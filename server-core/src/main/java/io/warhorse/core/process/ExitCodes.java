package io.warhorse.core.process;

/**
 * Process exit codes shared by the {@code warhorse} command, the worker process and (later) the master, gunicorn's
 * where it has one: 0 normal stop, 1 a usage or configuration error (bad flag, bad key, port in use),
 * 3 the worker failed to boot, 4 an app failed to load, 70 a worker failed by an error warhorse did not expect.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /**
     * A command-line mistake: an unknown flag, a flag without its value, no app given. 1 rather than the 2 of
     * gunicorn's argparse, so that every "you asked for something wrong" exits alike, whether it was said in a flag
     * or in the config file ({@link #CONFIG}).
     */
    public static final int USAGE = 1;
    /** A configuration problem: unknown key, wrong type, value out of range, bad config file; all are printed first. */
    public static final int CONFIG = 1;
    public static final int WORKER_BOOT_ERROR = 3;
    public static final int APP_LOAD_ERROR = 4;
    /** An error warhorse did not expect ended a worker (sysexits' EX_SOFTWARE); the master replaces it. */
    public static final int SOFTWARE = 70;

    private ExitCodes() {}

    /** A process's exit code as an operator reads it: "code 4 (an app failed to load)", "code 137 (SIGKILL)". */
    public static String describe(int code) {
        return switch (code) {
            case WORKER_BOOT_ERROR -> "code 3 (worker failed to boot)";
            case APP_LOAD_ERROR -> "code 4 (an app failed to load)";
            case SOFTWARE -> "code 70 (an unexpected error; the worker's log has it)";
            default -> code > 128 ? "code " + code + " (" + signalName(code - 128) + ")" : "code " + code;
        };
    }

    /** The usual signals by name (as a shell names what ended a process), others by number. */
    private static String signalName(int signal) {
        return switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 15 -> "SIGTERM";
            default -> "signal " + signal;
        };
    }
}
