package io.warhorse.core.master;

import io.warhorse.core.process.CpuSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which CPUs each new worker is pinned to under {@code warhorse.cpu-affinity}: the master's own CPUs split into
 * the workers' shares ({@link CpuSet#shares}), a new worker taking the share fewest live workers hold, so a
 * replacement takes its predecessor's CPUs and a reload's new worker the least crowded ones. Launches come from
 * the arbiter thread, exits from the JDK's process reaper threads: synchronized.
 */
final class CpuShares {

    private final CpuSet allowed;
    private final Map<CpuSet, Integer> live = new HashMap<>();

    CpuShares(CpuSet allowed) {
        this.allowed = allowed;
    }

    /** The share for a worker about to start, when {@code workers} are configured; count it as held. */
    synchronized CpuSet take(int workers) {
        List<CpuSet> shares = allowed.shares(workers);
        CpuSet least = shares.getFirst();
        for (CpuSet share : shares) {
            if (live.getOrDefault(share, 0) < live.getOrDefault(least, 0)) {
                least = share;
            }
        }
        live.merge(least, 1, Integer::sum);
        return least;
    }

    /** A worker on {@code share} has exited. */
    synchronized void release(CpuSet share) {
        live.computeIfPresent(share, (key, count) -> count > 1 ? count - 1 : null);
    }
}
