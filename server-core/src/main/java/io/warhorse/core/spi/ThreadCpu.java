package io.warhorse.core.spi;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The CPU time of a platform thread, for the kinds' watchdogs, or -1 where the JVM cannot tell (virtual threads,
 * a platform without thread CPU clocks). The management classes load on the first call, on the watchdog's thread,
 * not while a worker boots. Any thread.
 */
public final class ThreadCpu {

    private ThreadCpu() {}

    private static final class Clock {
        static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        static final boolean ON = enable();

        private static boolean enable() {
            if (!THREADS.isThreadCpuTimeSupported()) {
                return false;
            }
            if (!THREADS.isThreadCpuTimeEnabled()) {
                THREADS.setThreadCpuTimeEnabled(true);
            }
            return true;
        }
    }

    /** CPU nanoseconds {@code thread} has used, or -1. */
    public static long nanos(Thread thread) {
        return thread.isVirtual() ? -1 : nanos(thread.threadId());
    }

    /** CPU nanoseconds the current thread has used, or -1 (always on a virtual thread). */
    public static long current() {
        return !Clock.ON || Thread.currentThread().isVirtual() ? -1 : Clock.THREADS.getCurrentThreadCpuTime();
    }

    /** CPU nanoseconds the platform thread with this id has used, or -1 (also once it has ended). */
    public static long nanos(long threadId) {
        return Clock.ON ? Clock.THREADS.getThreadCpuTime(threadId) : -1;
    }

    /** The JVM's threads, for finding one by name; the management classes' view. */
    public static ThreadMXBean threads() {
        return Clock.THREADS;
    }
}
