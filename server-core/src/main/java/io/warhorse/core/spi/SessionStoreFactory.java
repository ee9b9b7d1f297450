package io.warhorse.core.spi;

/**
 * A kind of session store: {@code memory}, {@code local}, {@code redis}, or any other on the class path. Registered in
 * {@code META-INF/services/io.warhorse.core.spi.SessionStoreFactory} and picked by {@code warhorse.sessions.store},
 * matched against {@link #name()}, like a worker kind. The constructor has no side effects.
 */
public interface SessionStoreFactory {

    /** The name {@code sessions.store} selects, lower case. */
    String name();

    /**
     * Opens the store for one process (the master, to check it at start, or a worker); called once, on that process's
     * main thread. Throws {@link SessionStoreException} if it cannot be reached.
     */
    SessionStore open(StoreContext context);
}
