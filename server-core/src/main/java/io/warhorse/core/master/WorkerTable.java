package io.warhorse.core.master;

import io.warhorse.core.metrics.Timeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's workers by id: starts them (each with a new id and secret; its exit is posted to the arbiter as an
 * event), drains them, finds the one behind a control connection. Used on the arbiter's thread.
 */
final class WorkerTable implements Rollout.Workers {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerTable.class);

    private final Map<Integer, WorkerHandle> workers = new LinkedHashMap<>();
    private final WorkerLauncher launcher;
    private final Path controlSocket;
    private final LongSupplier clock;
    private final Backoff backoff;
    private final Consumer<Event> events;
    private final Timeline timeline;
    private int nextId = 1;

    WorkerTable(WorkerLauncher launcher, Path controlSocket, LongSupplier clock, Backoff backoff, Consumer<Event> events,
            Timeline timeline) {
        this.timeline = timeline;
        this.launcher = launcher;
        this.controlSocket = controlSocket;
        this.clock = clock;
        this.backoff = backoff;
        this.events = events;
    }

    /** Starts a worker of {@code of}; empty (and a backoff) when its process cannot be started. */
    @Override
    public Optional<WorkerHandle> spawn(Generation of) {
        int id = nextId++;
        try {
            String secret = WorkerHandle.newSecret();
            WorkerProcessRef process = launcher.launch(id, of, controlSocket, secret);
            long maxRequests = Recycling.maxRequests(of.settings().master());
            WorkerHandle worker = new WorkerHandle(id, of.number(), process, clock.getAsLong(), maxRequests, secret);
            workers.put(id, worker);
            process.exit().thenAccept(code -> events.accept(new Event.Exited(worker, code)));
            timeline.info(LOG, "booting {}{}", worker, process.note().isEmpty() ? "" : ", " + process.note());
            return Optional.of(worker);
        } catch (IOException | RuntimeException e) {
            timeline.error(LOG, "cannot start a worker process: {}", e.toString());
            backoff.failed();
            return Optional.empty();
        }
    }

    /** TERM, once: it stops accepting, finishes its requests and exits. */
    @Override
    public void drain(WorkerHandle worker) {
        if (worker.state != WorkerHandle.State.DRAINING) {
            worker.state = WorkerHandle.State.DRAINING;
            worker.termSentNanos = clock.getAsLong();
            worker.process.signal("TERM");
        }
    }

    @Override
    public Collection<WorkerHandle> all() {
        return workers.values();
    }

    WorkerHandle get(int id) {
        return workers.get(id);
    }

    void remove(WorkerHandle worker) {
        workers.remove(worker.id);
    }

    boolean isEmpty() {
        return workers.isEmpty();
    }

    List<WorkerHandle> snapshot() {
        return new ArrayList<>(workers.values());
    }

    List<WorkerHandle> serving() {
        return workers.values().stream().filter(WorkerHandle::serving).toList();
    }

    boolean noneReady() {
        return workers.values().stream().noneMatch(worker -> worker.state == WorkerHandle.State.READY);
    }

    Optional<WorkerHandle> of(ControlServer.Connection connection) {
        return workers.values().stream().filter(worker -> worker.connection == connection).findFirst();
    }
}
