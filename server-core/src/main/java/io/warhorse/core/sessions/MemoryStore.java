package io.warhorse.core.sessions;

import io.warhorse.core.spi.SessionRecord;
import io.warhorse.core.spi.SessionStore;
import io.warhorse.core.spi.SessionStoreFactory;
import io.warhorse.core.spi.StoreContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code sessions.store = memory}: the records in this worker's own memory, as servlet containers keep them by
 * default. Sessions are lost when a request lands in another worker or the worker is replaced: for one worker and
 * no reloads. Thread-safe.
 */
public final class MemoryStore implements SessionStore {

    private final Map<String, SessionRecord> records = new ConcurrentHashMap<>();

    /** Registered in META-INF/services; opens a store of its own for each process. */
    public static final class Factory implements SessionStoreFactory {
        @Override
        public String name() {
            return "memory";
        }

        @Override
        public SessionStore open(StoreContext context) {
            return new MemoryStore();
        }
    }

    private static String key(String app, String id) {
        return app + '\n' + id;
    }

    @Override
    public SessionRecord load(String app, String id, long knownVersion) {
        SessionRecord record = records.get(key(app, id));
        if (record == null || record.expiresAt() <= System.currentTimeMillis()) {
            return null;
        }
        return record.version() == knownVersion ? record.timesOnly() : record;
    }

    @Override
    public void save(String app, SessionRecord record) {
        if (record.attributes() != null) {
            records.put(key(app, record.id()), record);
        } else {
            records.computeIfPresent(key(app, record.id()), (key, old) -> new SessionRecord(old.id(), old.version(),
                    old.created(), record.accessed(), record.maxInactive(), old.attributes()));
        }
    }

    @Override
    public void delete(String app, String id) {
        records.remove(key(app, id));
    }

    @Override
    public List<SessionRecord> expire(String app, long now, int limit) {
        List<SessionRecord> expired = new ArrayList<>();
        for (Map.Entry<String, SessionRecord> entry : records.entrySet()) {
            if (expired.size() < limit && entry.getKey().startsWith(app + '\n') && entry.getValue().expiresAt() <= now
                    && records.remove(entry.getKey(), entry.getValue())) {
                expired.add(entry.getValue());
            }
        }
        return expired;
    }

    @Override
    public void close() {
        records.clear();
    }
}
