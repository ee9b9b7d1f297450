package io.warhorse.maven;

import java.util.concurrent.TimeUnit;

/** Stopping a warhorse master the way an operator does: TERM (a graceful stop), then KILL after a deadline. */
final class Processes {

    private Processes() {}

    /** TERM, then waits up to {@code seconds} before KILL; returns true when it ended within the deadline. */
    static boolean stop(ProcessHandle master, long seconds) {
        if (!master.isAlive()) {
            return true;
        }
        master.destroy(); // SIGTERM: the master drains its workers and exits 0
        try {
            master.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            master.descendants().forEach(ProcessHandle::destroyForcibly);
            master.destroyForcibly();
            return false;
        }
    }
}
