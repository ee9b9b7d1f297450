package io.warhorse.core.master;

import java.io.IOException;

/** Starts worker processes; the real one runs {@code java}, tests use fakes. Called on the arbiter's thread. */
interface WorkerLauncher {

    /**
     * Starts worker {@code id} of {@code generation}, to connect back to {@code controlSocket} and prove who it is
     * with {@code secret}, which it gets outside its command line (other users' processes can read that).
     */
    WorkerProcessRef launch(int id, Generation generation, java.nio.file.Path controlSocket, String secret) throws IOException;
}
