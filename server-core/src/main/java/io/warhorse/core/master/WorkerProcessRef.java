package io.warhorse.core.master;

import java.util.concurrent.CompletableFuture;

/**
 * A started worker process, as the arbiter needs it: its pid, a way to signal it, its exit. Behind an interface so
 * the arbiter's tests can use fake processes.
 */
interface WorkerProcessRef {

    long pid();

    /** Sends {@code SIG<name>} (TERM, INT, QUIT, KILL, STOP, CONT); false if the process is gone. */
    boolean signal(String name);

    /** Completes with the exit code when the process ends, once the launcher has done what that exit starts. */
    CompletableFuture<Integer> exit();

    /** Resident memory in bytes, or -1 if unknown. */
    long residentBytes();

    /** What is unusual about this process from its start, for its status row ("" if nothing): an AOT recording. */
    default String note() {
        return "";
    }
}
