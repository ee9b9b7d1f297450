package io.warhorse.core.config;

/**
 * How many threads of each sort a worker runs when the settings leave it to warhorse ({@code io-threads = 0},
 * {@code async.threads = 0}, no {@code -Djdk.virtualThreadScheduler.parallelism} in {@code worker.jvm-options}):
 * each worker gets its share of the cores (its kind decides how many I/O threads that makes,
 * {@code WorkerKind#ioThreads}), {@code ceil(cores / workers)} and at least one. N workers on N cores
 * then run one I/O thread and one carrier each instead of N each, so two workers on two cores no longer run four
 * I/O threads and four carriers that take turns on two cores. A share rounds up: three workers on four cores get
 * two each, not one, so no core idles. Immutable; used by the master's settings reader and by each worker's
 * main thread.
 *
 * @param cores   the cores this process may use ({@link Runtime#availableProcessors()}: cgroup limits and CPU
 *                affinity included), at least 1
 * @param workers the configured worker count ({@code warhorse.workers}), at least 1
 */
public record WorkerSizing(int cores, int workers) {

    /** The system property of the JDK's virtual thread scheduler: how many carrier threads it runs. */
    public static final String CARRIERS_PROPERTY = "jdk.virtualThreadScheduler.parallelism";

    public WorkerSizing {
        if (cores < 1 || workers < 1) {
            throw new IllegalArgumentException("cores and workers must be at least 1, got " + cores + " and " + workers);
        }
    }

    /** For {@code settings.master().workers()} workers on the cores this JVM sees. */
    public static WorkerSizing of(Settings settings) {
        return new WorkerSizing(Runtime.getRuntime().availableProcessors(), Math.max(1, settings.master().workers()));
    }

    /** A worker's share of the cores: {@code ceil(cores / workers)}, at least 1. */
    public int share() {
        return Math.max(1, (cores + workers - 1) / workers);
    }

    /** The async kind's request threads: {@code configured} if more than 0, else the worker's share of the cores. */
    public int asyncThreads(int configured) {
        return configured > 0 ? configured : share();
    }

    /** The JVM option that gives the virtual thread scheduler the worker's share of the cores as carriers. */
    public String carriersOption() {
        return "-D" + CARRIERS_PROPERTY + "=" + share();
    }
}
