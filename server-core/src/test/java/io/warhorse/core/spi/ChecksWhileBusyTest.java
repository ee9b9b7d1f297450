package io.warhorse.core.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.testing.Eventually;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Checks run on a real scheduler only while there is work: none before, every period during, a pause after. */
class ChecksWhileBusyTest {

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final AtomicInteger checked = new AtomicInteger();
    private final AtomicInteger paused = new AtomicInteger();
    private volatile boolean working;
    private final ChecksWhileBusy checks = new ChecksWhileBusy(Duration.ofMillis(2), checked::incrementAndGet,
            () -> !working, paused::incrementAndGet);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void checksRunWhileThereIsWorkAndPauseAfterIt() throws Exception {
        checks.on(scheduler);
        assertFalse(checks.scheduled(), "nothing to watch: no checks");
        for (int round = 1; round <= 2; round++) {
            working = true;
            checks.busy();
            int before = checked.get();
            Eventually.within(Duration.ofSeconds(10), "checks run every period while there is work",
                    () -> checked.get() >= before + 3);
            working = false;
            int pauses = round;
            Eventually.within(Duration.ofSeconds(10), "the check that finds nothing stops them, once",
                    () -> !checks.scheduled() && paused.get() == pauses);
            assertTrue(scheduler.getQueue().isEmpty(), "no check is left scheduled while idle");
        }
    }

    @Test
    void workAlreadyUnderwayWhenStartedIsWatched() throws Exception {
        working = true;
        checks.on(scheduler);
        assertTrue(checks.scheduled());
        Eventually.within(Duration.ofSeconds(10), "checked without a busy() of its own", () -> checked.get() >= 1);
    }
}
