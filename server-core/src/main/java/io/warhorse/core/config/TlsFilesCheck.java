package io.warhorse.core.config;

import io.warhorse.core.tls.ServerTls;
import io.warhorse.core.tls.TlsException;

/** Loads the TLS files once while the settings are read, so that what is wrong with them is a config problem. */
final class TlsFilesCheck {

    private TlsFilesCheck() {}

    /** What is wrong with the files {@code tls} names, or null when they make a working server TLS. */
    static String problem(Settings.Tls tls) {
        try {
            ServerTls.load(tls);
            return null;
        } catch (TlsException e) {
            return e.getMessage();
        }
    }
}
