package io.warhorse.core.tls;

/** A TLS file that cannot be used; the message names the file and what is wrong with it. */
public final class TlsException extends Exception {
    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
