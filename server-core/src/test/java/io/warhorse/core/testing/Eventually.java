package io.warhorse.core.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a deadline, looking every 5 ms, and fails the test with {@code what} when the deadline
 * passes: how the unit tests of server-core and the worker kinds wait for another thread, never on a bare sleep.
 * Runs on the test's thread.
 */
public final class Eventually {

    private Eventually() {}

    public static void within(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, what + " (not within " + limit.toMillis() + " ms)");
            Thread.sleep(5);
        }
    }
}
