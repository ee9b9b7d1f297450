package io.warhorse.core.worker;

import java.time.Duration;

/**
 * An adaptive queue timeout, after CoDel ("Controlled Delay") as Facebook applies it to server queues ("Fail at
 * Scale", ACM Queue 2015): a queue that keeps requests waiting longer than {@code target} for a whole
 * {@code interval} is standing, not absorbing a burst; while it stands, a request that waited longer than
 * {@code target} is refused at once, so the queue empties and the requests that do run are fresh ones whose clients
 * still wait. Without this, an open-loop overload keeps a FIFO queue about as deep as the clients' patience, and
 * every request is served just as its client gives up.
 *
 * <p>The queues themselves (a thread pool's, a route's share, a carrier's) are not visible here: the controller
 * only sees each request start and how long it waited, from its arrival. A start within {@code target} shows the
 * queue drained and ends the episode. A request that arrived after the last late start found the queue empty (in a
 * FIFO queue it was alone, or it would not be next), so it begins a new episode instead of continuing one that
 * ended when the load stopped. An episode that lasted {@code interval} is a standing queue. An episode that begins
 * within an interval of the last request shed stands at once (CoDel, too, resumes dropping when its queue stands
 * again soon after): under a steady overload the shedding lets a start within the target end the episode, the wait
 * then creeps past the target again, and without this each new episode would let the queue grow for another whole
 * interval before shedding, so the requests that run would wait up to {@code target + interval} instead of
 * {@code target}.
 *
 * <p>How long "a whole interval" is also depends on how long requests run: CoDel's interval must exceed the time a
 * burst takes to drain, and a burst of requests that each run for a second (a CPU-bound report on a two-thread pool)
 * keeps the later ones waiting for seconds without any overload. So the interval used is the longer of
 * {@code interval} and {@value #DRAIN_RUNS} times the requests' recent run time (a moving average of how long each
 * ran once started, quick to rise and slow to fall: {@link #ran}): a queue of up to about {@value #DRAIN_RUNS}
 * rounds of the pool drains before it counts as standing. For requests of milliseconds this is {@code interval}.
 *
 * <p>Runs on request threads, many at once, with no lock: a start within the target reads one volatile field (and
 * writes it once, when it ends an episode); only starts that waited longer touch the others. A race between two
 * starts can move an episode's beginning by one request, which changes nothing an interval later.
 */
final class StandingQueue {

    private static final long NONE = Long.MIN_VALUE;
    /** Run times a standing episode must outlast: a burst of this many rounds of the pool is not a standing queue. */
    static final int DRAIN_RUNS = 4;
    /**
     * The moving average gives a new run time longer than it half the weight, a shorter one an eighth: long requests
     * arriving among short ones lengthen the interval within a few runs, before their queue would look standing.
     */
    private static final int RISE = 2;
    private static final int FALL = 8;

    private final long targetNanos;
    private final long intervalNanos;
    /** When the current episode of late starts began; {@link #NONE} while the queue drains. */
    private volatile long lateSince = NONE;
    /** When the last request that waited longer than the target started. */
    private volatile long lastLateStart = NONE;
    /** When the last request was shed. */
    private volatile long lastShed = NONE;
    /** Moving average of how long a request runs once started, in nanoseconds; 0 before the first. */
    private volatile long runNanos;

    /** {@code target}: zero turns the controller off (no request is ever shed by it). */
    StandingQueue(Duration target, Duration interval) {
        this.targetNanos = target.toNanos();
        this.intervalNanos = interval.toNanos();
    }

    /** The wait beyond which a request is shed while the queue stands. */
    Duration target() {
        return Duration.ofNanos(targetNanos);
    }

    /**
     * Records that a request starts at {@code now} (a {@link System#nanoTime} reading) after waiting {@code waited}
     * nanoseconds, and tells whether to shed it: true when it waited longer than the target in a standing queue.
     */
    boolean shed(long waited, long now) {
        if (targetNanos == 0) {
            return false;
        }
        if (waited <= targetNanos) {
            if (lateSince != NONE) {
                lateSince = NONE;
            }
            return false;
        }
        long interval = Math.max(intervalNanos, DRAIN_RUNS * runNanos);
        long since = lateSince;
        long last = lastLateStart;
        if (since == NONE || last == NONE || now - waited - last > 0) {
            since = resumes(now, interval) ? now - interval : now;
            lateSince = since;
        }
        lastLateStart = now;
        if (now - since < interval) {
            return false;
        }
        lastShed = now;
        return true;
    }

    /** Records that a request ran for {@code nanos} once started (until its servlet returned). */
    void ran(long nanos) {
        if (targetNanos == 0) {
            return;
        }
        long average = runNanos;
        runNanos = average == 0 ? nanos : average + (nanos - average) / (nanos > average ? RISE : FALL);
    }

    /** True if a request was shed less than an interval before {@code now}: a new episode stands at once. */
    private boolean resumes(long now, long interval) {
        long shed = lastShed;
        return shed != NONE && now - shed < interval;
    }
}
