package io.warhorse.core.worker;

import io.warhorse.core.spi.WorkerKind;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The worker kinds on the class path, found by ServiceLoader: what {@code --worker} may name and --help lists. */
public final class WorkerKinds {

    private final List<WorkerKind> kinds;

    private WorkerKinds(List<WorkerKind> kinds) {
        this.kinds = kinds.stream().sorted(Comparator.comparing(WorkerKind::name)).toList();
    }

    /** The kinds registered in {@code META-INF/services/io.warhorse.core.spi.WorkerKind} visible to {@code loader}. */
    public static WorkerKinds load(ClassLoader loader) {
        return new WorkerKinds(ServiceLoader.load(WorkerKind.class, loader).stream().map(ServiceLoader.Provider::get).toList());
    }

    public static WorkerKinds of(List<WorkerKind> kinds) {
        return new WorkerKinds(kinds);
    }

    /** The kinds found by the class loader that loaded warhorse. */
    public static WorkerKinds load() {
        return load(WorkerKinds.class.getClassLoader());
    }

    /** The kind called {@code name}; an unknown name throws with the names that exist. */
    public WorkerKind get(String name) {
        return kinds.stream().filter(kind -> kind.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown worker kind '" + name + "'; found: "
                        + (kinds.isEmpty() ? "none (no worker kind on the class path)" : String.join(", ", names()))));
    }

    public SortedSet<String> names() {
        return kinds.stream().map(WorkerKind::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** One line per kind, {@code name  summary}, for --help. */
    public String describe() {
        if (kinds.isEmpty()) {
            return "  (none found on the class path: is the lib folder complete?)\n";
        }
        int width = kinds.stream().mapToInt(kind -> kind.name().length()).max().orElse(0);
        StringBuilder text = new StringBuilder();
        for (WorkerKind kind : kinds) {
            text.append("  ").append(String.format("%-" + width + "s", kind.name())).append("  ").append(kind.summary()).append('\n');
        }
        return text.toString();
    }
}
