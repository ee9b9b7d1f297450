package io.warhorse.core.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Installs POSIX signal handlers. On Java 25, HUP, TERM, INT, USR1, USR2, TTIN, TTOU and WINCH can be handled;
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
}
