package io.warhorse.worker.virtual;

import io.warhorse.core.spi.ThreadCpu;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link CarrierWatch.Probe} on the running JDK: a virtual thread's state, the carrier it is mounted on (the name
 * {@code Thread.toString()} shows after {@code @} while mounted), and that carrier's CPU time from
 * {@link ThreadCpu}, found by name; the names of the JVM's threads are looked up again only when a carrier is new.
 * Runs on the watch's thread.
 */
final class CarrierProbe implements CarrierWatch.Probe {

    private final Map<String, Long> carrierIds = new ConcurrentHashMap<>();

    @Override
    public Thread.State state(Thread thread) {
        return thread.getState();
    }

    @Override
    public String carrier(Thread thread) {
        return carrierOf(thread.toString());
    }

    /** "VirtualThread[#23,vt-5]/runnable@ForkJoinPool-1-worker-1" -> "ForkJoinPool-1-worker-1"; null when unmounted. */
    static String carrierOf(String described) {
        int state = described.lastIndexOf("]/");
        int at = described.indexOf('@', Math.max(0, state));
        return state < 0 || at < 0 || at == described.length() - 1 ? null : described.substring(at + 1);
    }

    @Override
    public long cpuNanos(String carrier) {
        Long id = carrierIds.get(carrier);
        if (id == null) {
            id = find(carrier);
            if (id == null) {
                return -1;
            }
        }
        long nanos = ThreadCpu.nanos(id);
        if (nanos < 0) {
            carrierIds.remove(carrier); // the carrier ended (the scheduler shrinks when idle)
        }
        return nanos;
    }

    private Long find(String carrier) {
        ThreadMXBean threads = ThreadCpu.threads();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().equals(carrier)) {
                carrierIds.put(carrier, info.getThreadId());
                return info.getThreadId();
            }
        }
        return null;
    }
}
