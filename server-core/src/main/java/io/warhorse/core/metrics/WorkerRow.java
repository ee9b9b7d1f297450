package io.warhorse.core.metrics;

import java.util.function.LongSupplier;

/**
 * One worker as the arbiter last saw it, for the status page, {@code /metrics.json} and {@code warhorse ctl status}:
 * who it is and its state. Its request figures come from the metrics snapshots ({@link WorkerFigures}); the
 * heartbeat's own counts ({@code beatRequests}, {@code beatInFlight}) are shown only when metrics are off.
 * {@code note} says what is unusual about it ("" when nothing is). Built on the arbiter's thread; {@code rss} reads
 * /proc when asked, on the caller's thread.
 */
public record WorkerRow(int id, long pid, String kind, int generation, String state, long uptimeMillis,
                        long beatRequests, long beatInFlight, long lastBeatMillisAgo, String note, LongSupplier rss) {}
