package io.warhorse.core.master;

import io.warhorse.core.config.Settings;
import io.warhorse.core.control.Message;
import io.warhorse.core.metrics.Timeline;
import java.time.Duration;
import java.util.Collection;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's stop. Graceful (TERM): readiness answers 503 for {@code drain-delay}, then the master stops
 * listening and every worker gets TERM and {@code graceful-timeout} to finish its requests; quick (INT, or a halt):
 * INT at once and one second. A worker still running after that, plus a grace, gets KILL, except, in a graceful
 * stop, one that said {@code bye} (its JVM is ending), until {@link Watchdog#exitGrace} after that. A quick stop
 * during a graceful one takes over. Used on the arbiter's thread.
 */
final class Shutdown {

    private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

    /** TERM (or INT) goes to workers at {@code termAtNanos}; KILL at {@code killAtNanos}. */
    private record Plan(boolean graceful, long termAtNanos, long killAtNanos, long exitGraceNanos) {}

    private final LongSupplier clock;
    private final Runnable stopListening;
    private final Timeline timeline;
    private Plan plan;
    private boolean listening = true;

    /** {@code stopListening} closes the master's copy of the app socket when the workers are told to stop. */
    Shutdown(LongSupplier clock, Runnable stopListening, Timeline timeline) {
        this.timeline = timeline;
        this.clock = clock;
        this.stopListening = stopListening;
    }

    boolean stopping() {
        return plan != null;
    }

    boolean graceful() {
        return plan != null && plan.graceful();
    }

    /** Starts a stop; false when one of the same kind or a quick one is already under way. */
    boolean begin(boolean graceful, Collection<WorkerHandle> workers, Settings settings) {
        if (plan != null && (graceful || !plan.graceful())) {
            return false;
        }
        if (plan != null) {
            // A quick stop (INT) during a graceful one: the workers already draining get INT too, not KILL later.
            workers.forEach(worker -> worker.termSentNanos = 0);
        }
        long now = clock.getAsLong();
        Duration delay = graceful ? settings.master().drainDelay() : Duration.ZERO;
        Duration grace = graceful ? settings.gracefulTimeout() : Duration.ofSeconds(1);
        plan = new Plan(graceful, now + delay.toNanos(), now + delay.plus(grace).plus(Watchdog.KILL_GRACE).toNanos(),
                Watchdog.exitGrace(settings.gracefulTimeout()).toNanos());
        if (graceful && !delay.isZero()) {
            timeline.info(LOG, "stopping: readiness now answers 503; serving {} s more before draining", delay.toSeconds());
            workers.stream().filter(worker -> worker.connection != null)
                    .forEach(worker -> worker.connection.send(new Message.Unready()));
        } else {
            timeline.info(LOG, graceful ? "stopping gracefully: draining {} worker(s), up to {} s" : "stopping now: {} worker(s)",
                    workers.size(), grace.toSeconds());
        }
        return true;
    }

    /** Tells the workers to stop once the drain delay is over, and kills those still there after the grace. */
    void advance(Collection<WorkerHandle> workers) {
        long now = clock.getAsLong();
        if (now >= plan.termAtNanos()) {
            if (listening) {
                stopListening.run();
                listening = false;
                timeline.info(LOG, "stopped listening: new connections are refused while the workers finish");
            }
            for (WorkerHandle worker : workers) {
                if (worker.termSentNanos == 0 || worker.state != WorkerHandle.State.DRAINING) {
                    worker.state = WorkerHandle.State.DRAINING;
                    worker.termSentNanos = now;
                    worker.process.signal(plan.graceful() ? "TERM" : "INT");
                }
            }
        }
        if (now >= plan.killAtNanos()) {
            for (WorkerHandle worker : workers) {
                // A graceful stop spares a worker that said bye for a while: it is done and its JVM is ending
                // (writing an AOT configuration can take it many seconds), but one that never ends is killed.
                if (!plan.graceful() || worker.byeNanos == 0 || now - worker.byeNanos > plan.exitGraceNanos()) {
                    worker.process.signal("KILL");
                }
            }
        }
    }
}
