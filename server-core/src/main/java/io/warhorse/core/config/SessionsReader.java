package io.warhorse.core.config;

import java.util.List;

/**
 * Reads {@code warhorse.sessions.*} into {@link Settings.Sessions}, reporting problems through the
 * {@link SettingsReader} it is given. The store's name is checked against the stores found on the class path when
 * the worker starts (they live in server-core's sessions package, which config does not import).
 */
final class SessionsReader {

    private static final List<String> SAVE_MODES = List.of("on-change", "always");
    private final SettingsReader reader;

    SessionsReader(SettingsReader reader) {
        this.reader = reader;
    }

    Settings.Sessions read() {
        String store = reader.get("warhorse.sessions.store", "a session store's name", reader.config()::getString, "");
        if (!store.matches("[a-z0-9-]+")) {
            reader.problem("warhorse.sessions.store", "expected a store name such as local, redis or memory, got \""
                    + store + "\"");
        }
        String save = reader.choice("warhorse.sessions.save", SAVE_MODES, "on-change");
        return new Settings.Sessions(store, save.equals("always"),
                reader.duration("warhorse.sessions.scavenge-interval", true),
                reader.duration("warhorse.sessions.touch-interval", false), local(), redis());
    }

    private Settings.LocalStore local() {
        return new Settings.LocalStore(reader.duration("warhorse.sessions.local.busy-timeout", true),
                reader.integer("warhorse.sessions.local.connections", 1));
    }

    private Settings.RedisStore redis() {
        String uri = reader.get("warhorse.sessions.redis.uri", "a redis:// URI", reader.config()::getString, "");
        if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
            reader.problem("warhorse.sessions.redis.uri", "expected redis://HOST:PORT (or rediss:// for TLS), got \""
                    + uri + "\"");
        }
        return new Settings.RedisStore(uri,
                reader.get("warhorse.sessions.redis.key-prefix", "a string", reader.config()::getString, ""),
                reader.duration("warhorse.sessions.redis.timeout", true),
                reader.integer("warhorse.sessions.redis.connections", 1),
                reader.duration("warhorse.sessions.redis.expiry-grace", false));
    }
}
