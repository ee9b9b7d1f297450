package io.warhorse.core.master;

import io.warhorse.core.config.Settings;
import java.nio.file.Path;

/** Where the control socket of a master is: {@code control-socket}, or one per port in the temporary folder. */
public final class ControlPaths {

    private ControlPaths() {}

    /** The socket of the master listening on {@code port} with {@code settings}. */
    public static Path socket(Settings settings, int port) {
        String configured = settings.master().controlSocket();
        if (!configured.isEmpty()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "warhorse-" + port + ".sock");
    }
}
