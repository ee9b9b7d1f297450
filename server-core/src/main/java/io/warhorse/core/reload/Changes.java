package io.warhorse.core.reload;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the {@link ReloadWatcher} learns that a watched file changed: the kernel's notifications
 * ({@link WatchedTree}) or a periodic comparison ({@link PolledTree}). Used by the watcher's one thread only.
 */
interface Changes extends AutoCloseable {

    /**
     * Waits up to {@code nanos} for a change; returns the changed path, or null when none came in time (or only
     * changes to files nobody watches). Never returns early without a reason: no busy loop.
     */
    Path next(long nanos) throws InterruptedException, IOException;

    @Override
    void close() throws IOException;
}
