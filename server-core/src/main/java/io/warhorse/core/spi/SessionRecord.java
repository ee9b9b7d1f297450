package io.warhorse.core.spi;

/**
 * One session as a store keeps it. Times are epoch milliseconds.
 *
 * @param id             the session id
 * @param version        changes with every write of the attributes (a random value: equal versions mean equal
 *                       contents, never "newer"); 0 is never a stored version
 * @param created        when the session was created
 * @param accessed       when a request last used it
 * @param maxInactive    seconds without a request before it expires; 0 or less for never
 * @param attributes     the serialized attributes, or null when only the times are meant (a touch, or an unchanged
 *                       copy from {@link SessionStore#load})
 */
public record SessionRecord(String id, long version, long created, long accessed, int maxInactive, byte[] attributes) {

    /** When it expires, epoch milliseconds; {@link Long#MAX_VALUE} for never. */
    public long expiresAt() {
        return maxInactive <= 0 ? Long.MAX_VALUE : accessed + maxInactive * 1000L;
    }

    /** The same record without attributes, for a touch. */
    public SessionRecord timesOnly() {
        return new SessionRecord(id, version, created, accessed, maxInactive, null);
    }
}
