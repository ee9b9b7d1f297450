package io.warhorse.core.process;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * POSIX signals, both ways: handlers for this process, and {@link #send} to another. Installs handlers. On Java 25, HUP, TERM, INT, USR1, USR2, TTIN, TTOU and WINCH can be handled;
 * QUIT cannot ("already used by VM": the JVM prints a thread dump on it, which the master relies on).
 * Handlers run on a JVM signal-dispatch thread: keep them short, hand the work to a queue or latch.
 */
public final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {}

    /**
     * Runs {@code action} on every {@code SIG<name>}; returns false (and logs) if the JVM refuses that signal. A
     * signal this process inherited as ignored (a shell ignores INT for a command run in the background with
     * {@code &}, {@code nohup} ignores HUP) is given its default action back first: the JVM installs no handler for
     * an ignored HUP, INT or TERM, so without this {@code kill -HUP} would not reload and INT would not stop.
     */
    public static boolean on(String name, Runnable action) {
        try {
            Signal signal = new Signal(name);
            if (Signal.handle(signal, caught -> action.run()) == SignalHandler.SIG_IGN) {
                Libc.defaultAction(number(name));
                Signal.handle(signal, caught -> action.run());
                LOG.debug("SIG{} was ignored when this process started; it is handled now", name);
            }
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
            case "TTIN" -> 21;
            case "TTOU" -> 22;
            case "WINCH" -> 28;
            default -> throw new IllegalArgumentException("no signal " + name);
        };
    }
}
