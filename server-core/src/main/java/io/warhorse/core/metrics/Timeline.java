package io.warhorse.core.metrics;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

/**
 * What the master did and saw (workers booted, ready, died, timed out, recycled; reloads, scaling, halts, stops), as
 * a bounded ring of the last {@code capacity} events for the status page and {@code warhorse ctl events}. One call
 * writes the operator's log line and the event, so both say the same words. Written on the arbiter's thread (and
 * any other that logs an event), read on the admin listener's and the control socket's: every method locks.
 */
public final class Timeline {

    /** One event: when (milliseconds since the epoch), how grave (info, warn, error) and the log line's text. */
    public record Entry(long millis, String level, String text) {}

    private final int capacity;
    private final LongSupplier wallMillis;
    private final ArrayDeque<Entry> ring;
    private long recorded;

    public Timeline(int capacity, LongSupplier wallMillis) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.wallMillis = wallMillis;
        this.ring = new ArrayDeque<>(capacity);
    }

    /** Logs {@code format} with {@code args} (SLF4J's {} placeholders) at INFO on {@code log}, and records it. */
    public void info(Logger log, String format, Object... args) {
        log.info("{}", add("info", format, args));
    }

    public void warn(Logger log, String format, Object... args) {
        log.warn("{}", add("warn", format, args));
    }

    public void error(Logger log, String format, Object... args) {
        log.error("{}", add("error", format, args));
    }

    private synchronized String add(String level, String format, Object[] args) {
        String text = MessageFormatter.arrayFormat(format, args).getMessage();
        if (ring.size() == capacity) {
            ring.removeFirst();
        }
        ring.addLast(new Entry(wallMillis.getAsLong(), level, text));
        recorded++;
        return text;
    }

    /** The events kept, oldest first. */
    public synchronized List<Entry> entries() {
        return List.copyOf(ring);
    }

    /** Every event ever recorded, including those the ring has dropped. */
    public synchronized long recorded() {
        return recorded;
    }

    /** The events kept as text, one a line: UTC time, level, the log line's words. */
    public synchronized String render() {
        List<Entry> entries = List.copyOf(ring);
        StringBuilder text = new StringBuilder();
        long dropped = recorded - entries.size();
        if (dropped > 0) {
            text.append("(").append(dropped).append(" older event(s) dropped; the log has them)\n");
        }
        for (Entry entry : entries) {
            text.append(Instant.ofEpochMilli(entry.millis())).append("  ").append(String.format("%-5s", entry.level().toUpperCase(java.util.Locale.ROOT)))
                    .append("  ").append(entry.text()).append('\n');
        }
        return entries.isEmpty() ? "no events yet\n" : text.toString();
    }
}
