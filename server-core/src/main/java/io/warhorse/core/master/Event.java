package io.warhorse.core.master;

/** What the arbiter reacts to. Produced by signal handlers, process watchers and the control socket's readers. */
sealed interface Event {

    /** A POSIX signal the master handles: HUP, TERM, INT, TTIN, TTOU, USR1. */
    record Signal(String name) implements Event {}

    /** A worker process ended with {@code code}. */
    record Exited(WorkerHandle worker, int code) implements Event {}

    /** A message arrived on a control connection, parsed and admitted for its peer by the control server. */
    record Received(ControlServer.Connection from, io.warhorse.core.control.Message message) implements Event {}

    /** A control connection closed. */
    record Closed(ControlServer.Connection connection) implements Event {}
}
