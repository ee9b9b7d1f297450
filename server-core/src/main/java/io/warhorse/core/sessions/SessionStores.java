package io.warhorse.core.sessions;

import io.warhorse.core.config.Settings;
import io.warhorse.core.spi.SessionStore;
import io.warhorse.core.spi.SessionStoreException;
import io.warhorse.core.spi.SessionStoreFactory;
import io.warhorse.core.spi.StoreContext;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * The session stores on the class path, found by ServiceLoader like worker kinds: what {@code sessions.store} may
 * name. Runs on the calling process's main thread.
 */
public final class SessionStores {

    private SessionStores() {}

    /** Opens the store {@code settings.store()} names; an unknown name throws with the names that exist. */
    public static SessionStore open(Settings.Sessions settings, Path runDir) {
        List<SessionStoreFactory> factories = ServiceLoader.load(SessionStoreFactory.class,
                SessionStores.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();
        SessionStoreFactory factory = factories.stream().filter(f -> f.name().equals(settings.store())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown session store '" + settings.store()
                        + "' (sessions.store); found: " + String.join(", ",
                        new TreeSet<>(factories.stream().map(SessionStoreFactory::name).toList()))));
        return factory.open(new StoreContext(settings, runDir));
    }

    /**
     * The master's check at start: opens the store and reads from it once, so that an unreachable store stops
     * warhorse with a clear message instead of failing every request. Returns null when it answered, else why not.
     */
    public static String check(Settings.Sessions settings, Path runDir) {
        try (SessionStore store = open(settings, runDir)) {
            store.load("/", "-", 0);
            return null;
        } catch (SessionStoreException | IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
