package io.warhorse.core.spi;

/** The session store could not be reached or failed to answer; the message says which store and why. */
public class SessionStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SessionStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
