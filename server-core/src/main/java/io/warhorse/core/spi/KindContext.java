package io.warhorse.core.spi;

import com.codahale.metrics.MetricRegistry;
import io.warhorse.core.Threads;
import io.warhorse.core.config.Settings;

/**
 * What a worker kind gets to start with.
 *
 * @param settings the effective settings ({@code threads}, {@code queue}, {@code worker-connections}, {@code async.*})
 * @param threads  the one factory for threads and executors; kinds create none by hand
 * @param metrics  the worker's registry, for the kind's counters and gauges (pool size, queue depth, watchdog hits)
 */
public record KindContext(Settings settings, Threads threads, MetricRegistry metrics) {}
