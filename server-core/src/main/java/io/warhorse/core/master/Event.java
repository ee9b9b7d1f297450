package io.warhorse.core.master;

/** What the arbiter reacts to. Produced by signal handlers, process watchers and the control socket's readers. */
sealed interface Event {

    /** A POSIX signal the master handles: HUP, TERM, INT, TTIN, TTOU, USR1. */
    record Signal(String name) implements Event {}

    /** A worker process ended with {@code code}. */
    record Exited(WorkerHandle worker, int code) implements Event {}

    /** A line arrived on a control connection. */
    record Line(ControlServer.Connection from, String text) implements Event {}

    /** A control connection closed. */
    record Closed(ControlServer.Connection connection) implements Event {}
}
