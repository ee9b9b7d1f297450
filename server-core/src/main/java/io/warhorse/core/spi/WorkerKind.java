package io.warhorse.core.spi;

import io.warhorse.core.config.WorkerSizing;

/**
 * A way of running requests in a worker: {@code sync}, {@code virtual}, {@code async}, or any other kind on the class path.
 * Implementations are registered in {@code META-INF/services/io.warhorse.core.spi.WorkerKind} and picked by
 * {@code --worker NAME}, matched against {@link #name()}. Adding a kind needs no change in server-core.
 *
 * <p>Contract: the constructor has no side effects (ServiceLoader creates every kind on the class path to list
 * them); all threads and pools are made in {@link #start}, from {@link KindContext#threads()}, and released by
 * {@link RequestRunner#close()}.
 */
public interface WorkerKind {

    /** The name {@code --worker} selects, lower case, stable across releases. */
    String name();

    /** One line for {@code --help} and error messages: what the kind is for. */
    String summary();

    /** Creates the kind's threads and pools for one worker; called once, on the worker's main thread. */
    RequestRunner start(KindContext context);

    /**
     * The XNIO I/O threads a worker of this kind runs when {@code io-threads} is left at 0: by default the worker's
     * share of the cores, as its request threads.
     */
    default int ioThreads(WorkerSizing sizing) {
        return sizing.share();
    }
}
