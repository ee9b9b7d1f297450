package io.warhorse.it;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition with a deadline, checking it every 10 ms; fails the test when time runs out. */
public final class Deadline {

    private Deadline() {}

    public static void within(Duration limit, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + limit);
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
    }
}
