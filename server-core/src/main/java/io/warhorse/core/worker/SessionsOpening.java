package io.warhorse.core.worker;

import com.codahale.metrics.MetricRegistry;
import io.warhorse.core.Threads;
import io.warhorse.core.config.Settings;
import io.warhorse.core.sessions.WorkerSessions;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A worker's session store, opened on a thread of its own while the main thread starts the worker kind and connects
 * to the master: the local store (the default) loads SQLite and sets up its database, about a tenth of a worker's
 * boot CPU, which on a second core need not wait for the rest (nor for the first app's unpacking and scanning:
 * the deploy first asks for it when it configures that app's sessions). {@link #get} waits for it and throws what
 * opening threw, so a store that cannot be opened still fails the boot before any app starts (exit 3).
 * Started on the worker's main thread; {@link #get} and {@link #close} are called from it too.
 */
final class SessionsOpening {

    private final FutureTask<WorkerSessions> task;

    private SessionsOpening(FutureTask<WorkerSessions> task) {
        this.task = task;
    }

    static SessionsOpening start(Settings.Sessions settings, Path runDir, MetricRegistry metrics, Threads threads) {
        SessionsOpening opening = new SessionsOpening(new FutureTask<>(() -> WorkerSessions.open(settings, runDir, metrics, threads)));
        threads.startDaemon("session-store-open", opening.task);
        return opening;
    }

    /** The open sessions, once opened; throws the exception (or error) opening threw. */
    WorkerSessions get() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the boot cannot go on without its store: wait on, then say so
                } catch (ExecutionException e) {
                    throw rethrown(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes the sessions once opened; a store that failed to open has nothing to close. */
    void close() {
        WorkerSessions sessions;
        try {
            sessions = get();
        } catch (RuntimeException | Error e) {
            return;
        }
        sessions.close();
    }

    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("opening the session store failed: " + cause, cause);
    }
}
