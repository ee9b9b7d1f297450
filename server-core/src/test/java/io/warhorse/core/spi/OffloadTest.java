package io.warhorse.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.warhorse.core.config.TestSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Routes and their moves without a server: a route moves at the configured strike (requests caught together
 * counting once), once, to the refuge the tipping catch names, and only when moving is on and it is not pinned; a task queued before the move follows the route when it starts, and runs where it is if
 * the new place is full.
 */
class OffloadTest {

    private final MetricRegistry metrics = new MetricRegistry();
    private final List<String> ran = new ArrayList<>();
    private final List<Runnable> queued = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong();
    private boolean refugeFull;

    private Offload offload(String... settings) {
        return new Offload(TestSettings.of(settings).offload(), Place.VIRTUAL, "test limits", Duration.ofMillis(100),
                metrics, nanos::get)
                .place(Place.KIND, (route, task) -> queued.add(task))
                .place(Place.VIRTUAL, (route, task) -> {
                    if (refugeFull) {
                        throw new RejectedExecutionException("full");
                    }
                    ran.add("virtual");
                    task.run();
                })
                .place(Place.PLATFORM, (route, task) -> ran.add("platform"));
    }

    @Test
    void aRouteMovesAtItsSecondStrikeOnceAndLaterRequestsRunInTheRefuge() {
        Offload offload = offload("warhorse.offload.strikes", "2");
        Route route = new Route("/shop", List.of("/query"), Place.KIND, false, offload);
        route.execute(() -> ran.add("first"));
        assertEquals(1, queued.size(), "on the kind's own threads");

        assertFalse(offload.caught(route, "held a thread", new StackTraceElement[0]));
        nanos.addAndGet(Duration.ofMillis(99).toNanos());
        assertFalse(offload.caught(route, "held a thread", new StackTraceElement[0]), "caught together: one strike");
        assertEquals(Place.KIND, route.place());
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertTrue(offload.caught(route, "held a thread", new StackTraceElement[0]));
        assertFalse(offload.caught(route, "held a thread", new StackTraceElement[0]), "moved once");
        assertEquals(Place.VIRTUAL, route.place());
        assertEquals(1, metrics.counter(Offload.MOVED).getCount());
        assertEquals(Place.VIRTUAL.ordinal(), metrics.getGauges().get("route.moved|/shop|/query").getValue());

        queued.getFirst().run();
        assertEquals(List.of("virtual", "first"), ran, "the task queued before the move followed the route");
        route.execute(() -> ran.add("second"));
        assertEquals(List.of("virtual", "first", "virtual", "second"), ran);

        assertTrue(offload.release(route, "its requests mostly wait there"));
        assertEquals(Place.KIND, route.place());
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertFalse(offload.caught(route, "held a thread", new StackTraceElement[0]));
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertFalse(offload.caught(route, "held a thread", new StackTraceElement[0]), "a released route is quiet a while");
        assertEquals(Place.KIND, route.place());
    }

    @Test
    void rareCatchesAmongManyRequestsDoNotAddUp() {
        Offload offload = offload("warhorse.offload.strikes", "2");
        Route route = new Route("/", List.of("/query"), Place.KIND, false, offload);
        assertFalse(offload.caught(route, "held a thread", new StackTraceElement[0]));
        for (int i = 0; i < 21; i++) {
            route.execute(() -> { });
        }
        queued.forEach(Runnable::run);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertFalse(offload.caught(route, "held a thread", new StackTraceElement[0]), "21 requests since the first: starts over");
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertTrue(offload.caught(route, "held a thread", new StackTraceElement[0]), "two within 20 requests");
    }

    @Test
    void aQueuedTaskRunsWhereItIsWhenTheRefugeIsFull() {
        Offload offload = offload("warhorse.offload.strikes", "1");
        Route route = new Route("/", List.of("/query"), Place.KIND, false, offload);
        route.execute(() -> ran.add("queued"));
        assertTrue(offload.caught(route, "held a thread", new StackTraceElement[0]));
        refugeFull = true;
        queued.getFirst().run();
        assertEquals(List.of("queued"), ran);
    }

    @Test
    void aKindWithTwoRefugesMovesARouteWhereTheCatchThatTipsItSays() {
        Offload offload = offload("warhorse.offload.strikes", "2").alsoRefuge(Place.PLATFORM, "one per core");
        Route route = new Route("/", List.of("/report"), Place.KIND, false, offload);
        assertFalse(offload.caught(route, Place.VIRTUAL, "held a thread, waiting", new StackTraceElement[0]));
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertTrue(offload.caught(route, Place.PLATFORM, "held a thread, computing", new StackTraceElement[0]));
        assertEquals(Place.PLATFORM, route.place());
        assertEquals(Place.PLATFORM.ordinal(), metrics.getGauges().get("route.moved|/|/report").getValue());
        route.execute(() -> ran.add("never: the fake platform pool only notes it"));
        assertEquals(List.of("platform"), ran);

        Offload single = offload("warhorse.offload.strikes", "1");
        Route other = new Route("/", List.of("/other"), Place.KIND, false, single);
        assertThrows(IllegalArgumentException.class, () -> single.caught(other, Place.PLATFORM, "computing", new StackTraceElement[0]),
                "not a refuge of that kind");
        assertThrows(IllegalArgumentException.class, () -> single.alsoRefuge(Place.KIND, "its own threads"));
        assertEquals(Place.KIND, other.place());
    }

    @Test
    void neitherAPinnedRouteNorAnyRouteWithMovingOffMoves() {
        Offload on = offload("warhorse.offload.strikes", "1");
        Route pinned = new Route("/", List.of("/report/*"), Place.PLATFORM, true, on);
        assertFalse(on.caught(pinned, "held a thread", new StackTraceElement[0]));
        assertFalse(on.release(pinned, "waits"), "a pin is not undone by the refuge either");
        assertEquals(Place.PLATFORM, pinned.place());
        pinned.execute(() -> ran.add("never: the fake platform pool only notes it"));
        assertEquals(List.of("platform"), ran);

        Offload off = offload("warhorse.offload.strikes", "1", "warhorse.offload.enabled", "false");
        Route route = new Route("/", List.of("/query"), Place.KIND, false, off);
        assertFalse(off.caught(route, "held a thread", new StackTraceElement[0]));
        assertEquals(Place.KIND, route.place());
        assertEquals(0, metrics.counter(Offload.MOVED).getCount());
    }

    @Test
    void withTrialsACaughtRouteIsMeasuredInTheRefugeAndMovedOnlyOnItsVerdict() {
        Offload offload = offload("warhorse.offload.strikes", "1").trialFirst();
        Route route = new Route("/", List.of("/read"), Place.KIND, false, offload);
        assertFalse(offload.caught(route, "held a thread", new StackTraceElement[0]));
        assertTrue(route.onTrial());
        assertEquals(Place.KIND, route.place());
        route.execute(() -> ran.add("tried"));
        assertEquals(List.of("virtual", "tried"), ran, "on trial: runs in the refuge");
        refugeFull = true;
        route.execute(() -> ran.add("unmeasured"));
        assertEquals(1, queued.size(), "no thread free there: on the kind's own threads");

        offload.judged(route, false, "its requests used little CPU");
        assertFalse(route.onTrial());
        assertEquals(Place.KIND, route.place());
        assertEquals(0, metrics.counter(Offload.MOVED).getCount(), "kept: never moved");
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertFalse(offload.caught(route, "held a thread", new StackTraceElement[0]));
        assertFalse(route.onTrial(), "quiet for its next requests");

        for (long i = 0; i < Offload.QUIET; i++) {
            route.started();
        }
        offload.caught(route, "held a thread again", new StackTraceElement[0]);
        assertTrue(route.onTrial(), "accused again after " + Offload.QUIET + " requests");
        offload.judged(route, true, "its requests used 5 ms each");
        assertEquals(Place.VIRTUAL, route.place());
        assertEquals(1, metrics.counter(Offload.MOVED).getCount());

        offload.judged(route, true, "still");
        assertEquals(Place.VIRTUAL, route.place(), "a moved route that still computes stays");
        offload.judged(route, false, "now they wait");
        assertEquals(Place.KIND, route.place(), "and moves back when it no longer does");
    }
}
