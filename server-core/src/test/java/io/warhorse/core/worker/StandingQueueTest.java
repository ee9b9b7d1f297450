package io.warhorse.core.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The adaptive queue timeout on a fake clock: each call is a request starting at {@code now} (milliseconds here)
 * after waiting {@code waited}, with a target of 10 ms and an interval of 100 ms.
 */
class StandingQueueTest {

    private final StandingQueue queue = new StandingQueue(Duration.ofMillis(10), Duration.ofMillis(100));
    private long now = 1_000;

    @Test
    void aQueueThatStandsForAnIntervalShedsWhatWaitedPastTheTarget() {
        for (int i = 0; i < 10; i++) { // a request every 10 ms, each having waited 500 ms: the queue stands
            assertFalse(start(500), "within the first interval the queue may be a burst: " + i);
        }
        assertTrue(start(500), "an interval of late starts: the queue stands");
        assertTrue(start(11, 0), "anything past the target is shed while it stands");
        assertFalse(start(10, 0), "a request within the target runs");
    }

    @Test
    void aQueueThatStandsAgainSoonAfterItDrainedIsShedAtOnce() {
        standingFor(150);
        assertTrue(start(300, 0));
        assertFalse(start(2, 1), "a start within the target ends the episode");
        assertTrue(start(300, 1), "but less than an interval after the last shed, the overload goes on: no new grace");
    }

    @Test
    void anIntervalAfterTheLastShedTheTimeoutIsLongAgain() {
        standingFor(150);
        assertTrue(start(300, 0));
        assertFalse(start(2, 1), "the queue drained");
        assertFalse(start(300, 100), "a new episode: waits up to the queue timeout are served again");
        assertFalse(start(300, 99));
        assertTrue(start(300, 1), "and only after another interval does the queue stand again");
    }

    @Test
    void aRequestThatFoundTheQueueEmptyBeginsANewEpisode() {
        standingFor(150);
        assertTrue(start(300, 0));
        // The load stopped; much later one request arrives and waits 40 ms (a GC pause): it was alone in the queue.
        now += 60_000;
        assertFalse(start(40, 0), "an old episode does not shed a request that arrived after it ended");
        assertFalse(start(40, 50), "nor the next, which arrived after that one started: still a new episode");
    }

    @Test
    void aBurstShorterThanTheIntervalIsNeverShed() {
        for (int i = 0; i < 9; i++) {
            assertFalse(start(1_000));
        }
        assertFalse(start(5), "the burst drained within the interval");
        for (int i = 0; i < 9; i++) {
            assertFalse(start(1_000));
        }
    }

    @Test
    void aBurstOfLongRequestsIsGivenTheTimeItTakesToDrain() {
        queue.ran(ms(1_000)); // requests run for a second each: 4 s to outlast, not the 100 ms interval
        for (int round = 1; round <= 3; round++) { // 8 requests on 2 threads: pairs start a second apart
            assertFalse(start(1_000 * round, 1_000), "round " + round + " of a burst that drains in 4 s");
            assertFalse(start(1_000 * round, 0));
        }
        for (int i = 0; i < 10; i++) { // but the queue stays that deep, round after round
            start(3_000, 1_000);
        }
        assertTrue(start(3_000, 1_000), "a queue standing longer than 4 run times is shed");
    }

    @Test
    void shortRequestsKeepTheInterval() {
        for (int i = 0; i < 20; i++) {
            queue.ran(ms(5));
        }
        standingFor(150);
        assertTrue(start(300, 0), "4 runs of 5 ms are less than the 100 ms interval");
    }

    @Test
    void aZeroTargetTurnsItOff() {
        StandingQueue off = new StandingQueue(Duration.ZERO, Duration.ofMillis(100));
        for (int i = 0; i < 1_000; i++) {
            assertFalse(off.shed(ms(5_000), ms(now += 10)));
        }
    }

    /** Late starts every 10 ms for {@code ms} milliseconds, each having waited long (the requests queued behind). */
    private void standingFor(long ms) {
        for (long t = 0; t < ms; t += 10) {
            start(1_000);
        }
    }

    /** A request starts 10 ms after the previous one, having waited {@code waited} ms. */
    private boolean start(long waited) {
        return start(waited, 10);
    }

    private boolean start(long waited, long after) {
        now += after;
        return queue.shed(ms(waited), ms(now));
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
