package io.warhorse.core.spi;

/**
 * Runs the tasks of routes that run at one {@link Place}; a worker kind gives one per place it offers. Knowing the
 * route lets a kind's watchdog tell which route a long task belongs to. Called on the I/O thread, and on a request
 * thread when a queued task follows its route to a new place.
 */
@FunctionalInterface
public interface Placement {

    /** Runs {@code task} of {@code route}; throws {@code RejectedExecutionException} when full (the request gets 503). */
    void execute(Route route, Runnable task);
}
