package io.warhorse.core.logging;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * A warning that a peer can trigger at will (a hostile line on the control socket) is logged at most {@code burst}
 * times per {@code window}; the rest are counted, and the count is told with the next line logged. Thread-safe: the
 * control socket's readers share one.
 */
public final class RateLimitedLog {

    private final Logger log;
    private final int burst;
    private final long windowNanos;
    private final LongSupplier clock;
    private long windowStart;
    private int logged;
    private long suppressed;

    public RateLimitedLog(Logger log, int burst, Duration window, LongSupplier clock) {
        this.log = log;
        this.burst = burst;
        this.windowNanos = window.toNanos();
        this.clock = clock;
        this.windowStart = clock.getAsLong();
    }

    /** Logs {@code format} with {@code arguments} as a warning, unless {@code burst} lines were logged this window. */
    public void warn(String format, Object... arguments) {
        long dropped;
        synchronized (this) {
            long now = clock.getAsLong();
            if (now - windowStart >= windowNanos) {
                windowStart = now;
                logged = 0;
            }
            if (logged >= burst) {
                suppressed++;
                return;
            }
            logged++;
            dropped = suppressed;
            suppressed = 0;
        }
        if (dropped > 0) {
            log.warn("({} more like the next were not logged)", dropped);
        }
        log.warn(format, arguments);
    }
}
