package io.warhorse.e2e;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Waits for a condition with a deadline, checking it every 20 ms; fails the test when time runs out. */
final class Deadline {

    private Deadline() {}

    static void within(Duration limit, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + limit);
            }
            LockSupport.parkNanos(20_000_000);
        }
    }
}
