package io.warhorse.core.master;

import io.warhorse.core.metrics.Timeline;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replacing workers one at a time, the new one first: the replacement boots, and the worker it replaces drains only
 * once the replacement is ready, so the count of serving workers never drops. A reload (HUP) makes a new
 * generation and queues every serving worker of an older one; recycling replaces one worker. A replacement that
 * dies before it is ready aborts a reload (the workers of the previous generation keep serving, and it becomes the
 * current one again) or, for a recycled worker, keeps the old worker and backs off. Holds the current and the
 * previous generation. Used on the arbiter's thread.
 */
final class Rollout {

    private static final Logger LOG = LoggerFactory.getLogger(Rollout.class);

    /** What a rollout needs of the arbiter's table of workers. */
    interface Workers {
        Optional<WorkerHandle> spawn(Generation of);

        void drain(WorkerHandle worker);

        Collection<WorkerHandle> all();
    }

    /** A worker being replaced and its replacement, booting. */
    private record Replacement(WorkerHandle old, WorkerHandle fresh, String reason) {}

    private final Workers workers;
    private final Backoff backoff;
    private final Timeline timeline;
    private final Deque<WorkerHandle> queue = new ArrayDeque<>();
    private Generation generation;
    private Generation previous;
    private Replacement replacing;

    Rollout(Generation first, Workers workers, Backoff backoff, Timeline timeline) {
        this.timeline = timeline;
        this.generation = first;
        this.workers = workers;
        this.backoff = backoff;
    }

    Generation generation() {
        return generation;
    }

    /** A reload is under way: some workers of the previous generation still wait for their replacement. */
    boolean reloading() {
        return previous != null;
    }

    /** A replacement boots or more are queued: no recycling meanwhile. */
    boolean busy() {
        return replacing != null || !queue.isEmpty();
    }

    /** Whether {@code worker} is a replacement still booting, one more than the count while it does. */
    boolean isReplacement(WorkerHandle worker) {
        return replacing != null && replacing.fresh() == worker;
    }

    int booting() {
        return replacing != null ? 1 : 0;
    }

    /** Makes {@code next} the current generation and queues every serving worker of an older one. */
    void reload(Generation next) {
        previous = generation;
        generation = next;
        workers.all().stream().filter(worker -> worker.serving() && worker.generation < next.number()).forEach(queue::add);
        timeline.info(LOG, "reloading: generation {}, replacing {} worker(s) one at a time", next.number(), queue.size());
    }

    /** Starts a replacement for {@code old} (of the current generation). */
    void replace(WorkerHandle old, String reason) {
        timeline.info(LOG, "replacing {}: {}; its replacement starts first", old, reason);
        workers.spawn(generation).ifPresent(fresh -> replacing = new Replacement(old, fresh, reason));
    }

    /** The next queued worker gets its replacement once the last one is ready; a reload with none left is complete. */
    void advance() {
        if (replacing != null) {
            return;
        }
        WorkerHandle old = queue.poll();
        while (old != null && !workers.all().contains(old)) {
            old = queue.poll();
        }
        if (old != null) {
            replace(old, "reload to generation " + generation.number());
        } else if (previous != null) {
            complete();
        }
    }

    void onReady(WorkerHandle worker) {
        if (!isReplacement(worker)) {
            return;
        }
        timeline.info(LOG, "{} replaces {} ({}); draining the old one", worker, replacing.old(), replacing.reason());
        workers.drain(replacing.old());
        replacing = null;
        if (queue.isEmpty() && previous != null) {
            complete();
        }
    }

    /** A worker exited; true when it was a replacement that died booting (nothing more is to be done about it). */
    boolean onExit(WorkerHandle worker, String how) {
        if (isReplacement(worker)) {
            abort(worker, how);
            return true;
        }
        if (replacing != null && replacing.old() == worker) {
            replacing = null;
        }
        return false;
    }

    /** At a stop: nothing more is replaced. */
    void cancel() {
        queue.clear();
        replacing = null;
    }

    private void abort(WorkerHandle fresh, String how) {
        Replacement failed = replacing;
        replacing = null;
        if (previous != null) {
            timeline.error(LOG, "RELOAD ABORTED: new {} exited with {} before it was ready; {} worker(s) of generation {} "
                    + "keep serving. The reason is in the worker's output above.", fresh, how,
                    workers.all().size(), previous.number());
            generation = previous;
            previous = null;
            queue.clear();
        } else {
            timeline.error(LOG, "replacement {} exited with {} before it was ready; {} keeps serving ({})", fresh, how,
                    failed.old(), failed.reason());
            backoff.failed();
        }
    }

    private void complete() {
        timeline.info(LOG, "reload complete: generation {} serving", generation.number());
        previous = null;
    }
}
