package io.warhorse.core.worker;

import io.warhorse.core.spi.WorkerKind;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The worker kinds on the class path, found by ServiceLoader and looked up by {@link WorkerKind#name()}. */
public final class WorkerKinds {

    private final Map<String, WorkerKind> byName;

    private WorkerKinds(Map<String, WorkerKind> byName) {
        this.byName = byName;
    }

    /** The kinds registered under META-INF/services by the jars visible to {@code loader}. */
    public static WorkerKinds load(ClassLoader loader) {
        Map<String, WorkerKind> found = new TreeMap<>();
        for (WorkerKind kind : ServiceLoader.load(WorkerKind.class, loader)) {
            found.putIfAbsent(kind.name(), kind);
        }
        return new WorkerKinds(found);
    }

    public static WorkerKinds load() {
        return load(WorkerKinds.class.getClassLoader());
    }

    /** The names, sorted. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public List<WorkerKind> all() {
        return List.copyOf(byName.values());
    }

    /** The kind called {@code name}; an unknown name throws with the names that exist. */
    public WorkerKind get(String name) {
        WorkerKind kind = byName.get(name);
        if (kind == null) {
            throw new IllegalArgumentException("unknown worker kind '" + name + "'; found: "
                    + (byName.isEmpty() ? "none (no worker-* jar on the class path)" : String.join(", ", byName.keySet())));
        }
        return kind;
    }
}
