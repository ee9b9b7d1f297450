package io.warhorse.core.security;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The brute-force guard: after a failed login from a client address, logins from that address are refused unchecked
 * until a delay has passed, {@code security.failed-login-delay} doubled with each further failure (up to 16 times
 * it); a good login clears the address. Refusing instead of sleeping holds no request thread, so the async kind's
 * few threads are never parked by a guessing client. At most {@link #MAX_ADDRESSES} addresses are remembered; when
 * full, expired ones are dropped first, then the table is cleared rather than grown. Any thread.
 */
public final class LoginGuard {

    static final int MAX_ADDRESSES = 10_000;
    private static final int MAX_DOUBLINGS = 4;

    private record Penalty(int failures, long until) {}

    private final long delayNanos;
    private final LongSupplier clock;
    private final Map<String, Penalty> penalties = new ConcurrentHashMap<>();

    public LoginGuard(Duration delay, LongSupplier nanoClock) {
        this.delayNanos = delay.toNanos();
        this.clock = nanoClock;
    }

    /** True while {@code address} must wait after failed logins. */
    public boolean refuses(String address) {
        Penalty penalty = penalties.get(address);
        return delayNanos > 0 && penalty != null && clock.getAsLong() - penalty.until() < 0;
    }

    public void failed(String address) {
        if (delayNanos <= 0) {
            return;
        }
        if (penalties.size() >= MAX_ADDRESSES && !penalties.containsKey(address)) {
            forgetExpired();
        }
        long now = clock.getAsLong();
        penalties.compute(address, (key, old) -> {
            int failures = old == null ? 1 : old.failures() + 1;
            long wait = delayNanos << Math.min(failures - 1, MAX_DOUBLINGS);
            return new Penalty(failures, now + wait);
        });
    }

    public void succeeded(String address) {
        penalties.remove(address);
    }

    private void forgetExpired() {
        long now = clock.getAsLong();
        for (Iterator<Penalty> it = penalties.values().iterator(); it.hasNext(); ) {
            if (now - it.next().until() >= 0) {
                it.remove();
            }
        }
        if (penalties.size() >= MAX_ADDRESSES) {
            penalties.clear();
        }
    }
}
