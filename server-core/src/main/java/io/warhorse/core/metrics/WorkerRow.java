package io.warhorse.core.metrics;

import java.util.function.LongSupplier;

/**
 * One worker as the master last saw it, for the status page and {@code /metrics.json}. Built on the arbiter's
 * thread; {@code rss} reads /proc when asked, on the caller's thread.
 */
public record WorkerRow(int id, long pid, String kind, int generation, String state, long uptimeMillis,
                        long requests, long inFlight, long lastBeatMillisAgo, LongSupplier rss) {}
