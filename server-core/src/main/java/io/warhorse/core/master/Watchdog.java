package io.warhorse.core.master;

import io.warhorse.core.config.Settings;
import io.warhorse.core.metrics.Timeline;
import java.time.Duration;
import java.util.Collection;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills workers that are stuck: no heartbeat for {@code timeout} (SIGQUIT for a thread dump, SIGKILL
 * {@link #KILL_GRACE} later), still draining after {@code graceful-timeout}, or said {@code bye} and never exited.
 * Time the master itself did not run is not counted as a worker's silence. Used on the arbiter's thread.
 */
final class Watchdog {

    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    static final Duration KILL_GRACE = Duration.ofSeconds(3);
    /**
     * The least time a worker that said {@code bye} gets to end its JVM. It no longer serves, so waiting costs
     * nothing; writing an AOT configuration at exit took over 5 s on a loaded 2-core machine.
     */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(30);
    /** A loop pass later than this after the previous one means the master itself was held up. */
    private static final Duration STALL = Duration.ofSeconds(1);
    /**
     * How long a new worker may take to say hello, when that is longer than the timeout: a JVM starting on a busy
     * machine cannot heartbeat for seconds, and a short timeout must not kill every worker before it boots.
     */
    private static final Duration HELLO_GRACE = Duration.ofSeconds(30);

    private final LongSupplier clock;
    private final Timeline timeline;
    private long lastPass;

    Watchdog(LongSupplier clock, Timeline timeline) {
        this.clock = clock;
        this.timeline = timeline;
        this.lastPass = clock.getAsLong();
    }

    /**
     * Time this loop did not run (the master starved of CPU, paused, stopped) does not count as a worker's silence:
     * the beats sent meanwhile may still be in the socket.
     */
    void forgiveOwnStall(Collection<WorkerHandle> workers) {
        long now = clock.getAsLong();
        long stalled = now - lastPass - STALL.toNanos();
        if (stalled > 0) {
            timeline.warn(LOG, "the master did not run for {} ms; not counting that against the workers' heartbeats",
                    Duration.ofNanos(now - lastPass).toMillis());
            workers.forEach(worker -> worker.lastBeatNanos = Math.min(now, worker.lastBeatNanos + stalled));
        }
        lastPass = now;
    }

    /** How long a worker that said {@code bye} may take to end its JVM before it is killed. */
    static Duration exitGrace(Duration graceful) {
        return (graceful.compareTo(EXIT_GRACE) > 0 ? graceful : EXIT_GRACE).plus(KILL_GRACE);
    }

    void killHung(Collection<WorkerHandle> workers, Settings settings) {
        long now = clock.getAsLong();
        Duration graceful = settings.gracefulTimeout();
        Duration exitGrace = exitGrace(graceful);
        for (WorkerHandle worker : workers) {
            if (worker.byeNanos != 0) {
                // Done and exiting: no more beats. Its JVM may take seconds to end (writing an AOT configuration),
                // so the heartbeat does not apply; a JVM stuck in its exit is still killed.
                if (now - worker.byeNanos > exitGrace.toNanos() && worker.quitSentNanos == 0) {
                    timeline.warn(LOG, "{} said it was exiting {} s ago and has not; killing it", worker, exitGrace.toSeconds());
                    kill(worker);
                }
                continue;
            }
            checkHeartbeat(worker, settings.master().timeout(), now);
            if (worker.state == WorkerHandle.State.DRAINING && worker.termSentNanos != 0
                    && now - worker.termSentNanos > graceful.plus(KILL_GRACE).toNanos()) {
                timeline.warn(LOG, "{} still draining after graceful-timeout; killing it", worker);
                worker.process.signal("KILL");
                worker.termSentNanos = 0;
            }
        }
    }

    private void checkHeartbeat(WorkerHandle worker, Duration heartbeatTimeout, long now) {
        Duration timeout = worker.greeted || heartbeatTimeout.compareTo(HELLO_GRACE) > 0 ? heartbeatTimeout : HELLO_GRACE;
        if (worker.quitSentNanos == 0 && worker.silentFor(now).compareTo(timeout) > 0) {
            timeline.error(LOG, "WORKER TIMEOUT ({}): no heartbeat for {} s (timeout {} s); sent SIGQUIT, its thread dump "
                    + "follows in this log (the worker's stdout); SIGKILL in {} s", worker,
                    worker.silentFor(now).toSeconds(), timeout.toSeconds(), KILL_GRACE.toSeconds());
            worker.process.signal("QUIT");
            worker.quitSentNanos = now;
        } else if (worker.quitSentNanos != 0 && now - worker.quitSentNanos > KILL_GRACE.toNanos()) {
            kill(worker);
        }
    }

    /** SIGKILL, once: {@code quitSentNanos} is moved so far ahead that neither timeout fires for it again. */
    private static void kill(WorkerHandle worker) {
        worker.process.signal("KILL");
        worker.quitSentNanos = Long.MAX_VALUE / 2;
    }
}
