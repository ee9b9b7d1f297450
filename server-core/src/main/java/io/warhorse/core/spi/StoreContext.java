package io.warhorse.core.spi;

import io.warhorse.core.config.Settings;
import java.nio.file.Path;

/**
 * What a session store gets to open with.
 *
 * @param settings {@code warhorse.sessions.*}
 * @param runDir   the master's private run folder, shared by its workers and removed at a clean stop: where a store
 *                 local to the host keeps its files
 */
public record StoreContext(Settings.Sessions settings, Path runDir) {}
