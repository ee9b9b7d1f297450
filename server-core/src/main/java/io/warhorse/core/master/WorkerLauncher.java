package io.warhorse.core.master;

import java.io.IOException;

/** Starts worker processes; the real one runs {@code java}, tests use fakes. Called on the arbiter's thread. */
interface WorkerLauncher {

    /** Starts worker {@code id} of {@code generation}, to connect back to {@code controlSocket}. */
    WorkerProcessRef launch(int id, Generation generation, java.nio.file.Path controlSocket) throws IOException;
}
