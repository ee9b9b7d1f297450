package io.warhorse.core.process;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * POSIX signals, both ways: handlers for this process, and {@link #send} to another. Installs handlers. On Java 25, HUP, TERM, INT, USR1, USR2, TTIN, TTOU and WINCH can be handled;
 * QUIT cannot ("already used by VM": the JVM prints a thread dump on it, which the master relies on).
 * Handlers run on a JVM signal-dispatch thread: keep them short, hand the work to a queue or latch.
 */
public final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {}

    /** Runs {@code action} on every {@code SIG<name>}; returns false (and logs) if the JVM refuses that signal. */
    public static boolean on(String name, Runnable action) {
        try {
            Signal.handle(new Signal(name), signal -> action.run());
            return true;
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot handle SIG{}: {}", name, e.getMessage());
            return false;
        }
    }

    /**
     * Sends {@code SIG<name>} to {@code pid} through libc; false if the process is gone.
     *
     * @throws LinkageError or IllegalCallerException where the JVM denies native access
     */
    public static boolean send(long pid, String name) {
        return !Libc.kill(pid, number(name)).failed();
    }

    /** The Linux number of {@code SIG<name>}. */
    static int number(String name) {
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
