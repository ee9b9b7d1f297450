package io.warhorse.core.worker;

import io.warhorse.core.config.Settings;

/**
 * The worker process's entry point: owns Undertow, deploys the apps, serves until stopped.
 * (Being written: this signature is what the CLI calls.)
 */
public final class WorkerMain {

    private WorkerMain() {}

    /** Binds {@code settings.bind()}, deploys every app, serves until TERM/INT; returns the process exit code. */
    public static int serve(Settings settings) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Deploys every app without serving, then undeploys; returns 0 if all deployed, else an exit code. */
    public static int check(Settings settings) {
        throw new UnsupportedOperationException("not yet");
    }
}
