package io.warhorse.core.spi;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * One route of one app: a servlet, the unit Undertow lets an executor be chosen for
 * ({@code ServletInfo.setExecutor}, read by {@code ServletInitialHandler} after its path matching), named by its
 * mappings as the request metrics name routes. A route is its servlet's executor: each request's task goes to the
 * {@link Place} the route runs at now, so a move changes where its later requests run. A servlet mapped at several
 * paths moves with all of them. {@link #execute} runs on the I/O thread; the rest on any thread.
 */
public final class Route implements Executor {

    private final String app;
    private final List<String> mappings;
    private final boolean pinned;
    private final Offload offload;
    private final LongAdder started = new LongAdder();
    private int strikes;
    private long lastStrike;
    private long startedAtFirstStrike;
    private long quietUntil;
    private int cleared;
    private volatile Place place;
    private volatile Trial trial;

    /** Why a route is on trial: the last caught request's account and stack, for the log line if it is moved. */
    record Trial(String what, StackTraceElement[] stack, int strikes) {}

    Route(String app, List<String> mappings, Place place, boolean pinned, Offload offload) {
        this.app = app;
        this.mappings = List.copyOf(mappings);
        this.place = place;
        this.pinned = pinned;
        this.offload = offload;
    }

    @Override
    public void execute(Runnable task) {
        offload.dispatch(this, task);
    }

    /** The app's context path, "/" for the root app. */
    public String app() {
        return app;
    }

    /** The servlet's mappings as the app declares them ({@code /report/*}, {@code *.pdf}). */
    public List<String> mappings() {
        return mappings;
    }

    public Place place() {
        return place;
    }

    /** Placed by {@code offload.routes}: never moved. */
    public boolean pinned() {
        return pinned;
    }

    /** "app /shop, route /report/*": how log lines name it. */
    @Override
    public String toString() {
        return "app " + app + ", route " + String.join(", ", mappings);
    }

    /** A request of this route starts on the kind's own threads. */
    void started() {
        started.increment();
    }

    /**
     * Counts a caught request at {@code now} (nanoseconds), unless the last one counted was less than {@code spacing}
     * before: requests caught together were likely stalled together (a busy machine), so they count once. The
     * strikes must also be a real share of the route's requests: when more than {@code window} of them started
     * on the kind's threads since the first strike, this one starts the count again (a rare catch among thousands
     * of quick requests is a coincidence of sampling, not a route that holds the threads). Nothing counts while the
     * route is on trial, among its first {@code warmUp} requests, or in its quiet time ({@link #clear}). Returns
     * the strikes.
     */
    synchronized int strike(long now, long spacing, long window, long warmUp) {
        long requests = started.sum();
        if (trial != null || requests < Math.max(quietUntil, warmUp)) {
            return 0;
        }
        if (strikes > 0 && requests - startedAtFirstStrike > window) {
            strikes = 0;
        }
        if (strikes == 0) {
            startedAtFirstStrike = requests;
        }
        if (strikes == 0 || now - lastStrike >= spacing) {
            strikes++;
            lastStrike = now;
        }
        return strikes;
    }

    /** Moves the route from {@code from} to {@code to}; false if another thread moved it first. */
    synchronized boolean move(Place from, Place to) {
        if (place != from) {
            return false;
        }
        place = to;
        trial = null;
        return true;
    }

    /** On trial (see {@link Offload#caught}): its requests are measured where its refuge has a thread free. */
    public boolean onTrial() {
        return trial != null;
    }

    /** Puts the route on trial; false if it is on trial already or not on the kind's own threads. */
    synchronized boolean accuse(Trial why) {
        if (trial != null || place != Place.KIND) {
            return false;
        }
        trial = why;
        return true;
    }

    /** Ends the trial; returns why it began, or null if there was none. */
    synchronized Trial endTrial() {
        Trial ended = trial;
        trial = null;
        return ended;
    }

    /**
     * Back on the kind's own threads (from {@code from}, or from a trial if {@code from} is null), and not accused
     * again for its next {@code quiet} requests there, twice that after the next time, and so on: a route whose
     * requests turned out to wait is not sent back and forth. False if it was not there.
     */
    synchronized boolean clear(Place from, long quiet) {
        if (from == null ? trial == null : place != from || pinned) {
            return false;
        }
        place = Place.KIND;
        trial = null;
        strikes = 0;
        quietUntil = started.sum() + (quiet << Math.min(cleared++, 20));
        return true;
    }
}
