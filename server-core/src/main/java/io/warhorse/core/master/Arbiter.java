package io.warhorse.core.master;

import io.warhorse.core.config.Settings;
import io.warhorse.core.control.Message;
import io.warhorse.core.logging.ErrorLog;
import io.warhorse.core.metrics.MasterView;
import io.warhorse.core.metrics.Timeline;
import io.warhorse.core.process.ExitCodes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's loop, after gunicorn's arbiter: take the next event (signal, worker message, worker exit, operator
 * command), handle it, kill workers that stopped heartbeating ({@link Watchdog}), recycle one worker that is due
 * ({@link Recycling}), go on with a reload ({@link Rollout}), keep the worker count (with a {@link Backoff} after
 * crashes), or see a stop through ({@link Shutdown}). Everything here runs on the one thread that calls
 * {@link #run()}; other threads only {@link #post} events. No event can end the loop: whatever handling one
 * throws is logged with the event.
 */
final class Arbiter {

    private static final Logger LOG = LoggerFactory.getLogger(Arbiter.class);
    private static final Duration TICK = Duration.ofMillis(100);

    /** Where new generations come from on HUP; throws with the reason if the config or an app is broken. */
    interface Reloader {
        Generation next(int number) throws Exception;
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final WorkerTable workers;
    private final Reloader reloader;
    private final LongSupplier clock;
    private final Commands commands = new Commands(this);
    private final MasterView view;
    private final Timeline timeline;
    private final Backoff backoff;
    private final Rollout rollout;
    private final Watchdog watchdog;
    private final Shutdown shutdown;
    private int desired;
    private Integer exitCode;

    /** {@code stopListening} closes the master's copy of the app socket when the workers are told to stop. */
    Arbiter(Generation first, WorkerLauncher launcher, Reloader reloader, LongSupplier clock, Path controlSocket,
            Runnable stopListening) {
        this.desired = first.settings().master().workers();
        this.reloader = reloader;
        this.clock = clock;
        this.view = new MasterView(first.settings().observability().metrics());
        this.timeline = view.timeline();
        this.backoff = new Backoff(clock);
        this.workers = new WorkerTable(launcher, controlSocket, clock, backoff, this::post, timeline);
        this.rollout = new Rollout(first, workers, backoff, timeline);
        this.watchdog = new Watchdog(clock, timeline);
        this.shutdown = new Shutdown(clock, stopListening, timeline);
    }

    /** Queues an event for the loop; safe from any thread. */
    void post(Event event) {
        events.add(event);
    }

    /** Runs until every worker is gone after a stop or a halt; returns the master's exit code. */
    int run() throws InterruptedException {
        Integer code = null;
        while (code == null) {
            code = step(TICK);
        }
        return code;
    }

    /**
     * One turn of the loop: waits up to {@code wait} for an event and handles it, then the periodic work. Returns
     * the exit code once a stop has ended, else null.
     */
    Integer step(Duration wait) throws InterruptedException {
        // Every queued event first: a heartbeat waiting in the queue must not count as silence.
        for (Event event = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS); event != null; event = events.poll()) {
            Event next = event;
            guarded(next, () -> handle(next));
        }
        watchdog.forgiveOwnStall(workers.all());
        if (shutdown.stopping()) {
            if (workers.isEmpty()) {
                return exitCode == null ? ExitCodes.OK : exitCode;
            }
            guarded("the stop", () -> shutdown.advance(workers.all()));
            return null;
        }
        guarded("the heartbeat check", () -> watchdog.killHung(workers.all(), generation().settings()));
        guarded("recycling", this::recycleOneIfDue);
        guarded("the reload", rollout::advance);
        guarded("keeping the worker count", this::maintainCount);
        view.publish(WorkerRows.of(this), generation().number(), desired);
        return null;
    }

    /** Runs {@code work}; whatever it throws is logged with {@code what}, and the loop goes on. */
    private static void guarded(Object what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("MASTER ERROR handling {}: {}; the master goes on (please report this)", what, e.toString(), e);
        }
    }

    // ---- events

    private void handle(Event event) {
        switch (event) {
            case Event.Signal signal -> onSignal(signal.name());
            case Event.Exited exited -> onExit(exited.worker(), exited.code());
            case Event.Received received -> onMessage(received.from(), received.message());
            case Event.Closed closed -> workers.of(closed.connection()).ifPresent(worker -> worker.connection = null);
        }
    }

    private void onSignal(String name) {
        timeline.info(LOG, "received SIG{}", name);
        switch (name) {
            case "HUP" -> reload();
            case "TERM" -> beginStop(true);
            case "INT" -> beginStop(false);
            case "TTIN" -> scale(desired + 1);
            case "TTOU" -> scale(desired - 1);
            case "USR1" -> reopenLogs();
            default -> LOG.warn("SIG{} has no action", name);
        }
    }

    private void onMessage(ControlServer.Connection from, Message message) {
        switch (message) {
            case Message.Hello hello -> onHello(from, hello);
            case Message.Ready ready -> workers.of(from).ifPresent(this::onReady);
            case Message.Beat beat -> workers.of(from).ifPresent(worker -> worker.beat(beat, clock.getAsLong()));
            case Message.Metrics metrics -> workers.of(from).ifPresent(worker -> onMetrics(worker, metrics.json()));
            case Message.Bye bye -> workers.of(from).ifPresent(worker -> worker.byeNanos = clock.getAsLong());
            case Message.Command command -> commands.handle(from, command);
            case Message.Unready unready -> from.refuse("out of place: unready is the master's to send");
            case Message.Answer answer -> from.refuse("out of place: an answer is the master's to send");
        }
    }

    /** A worker's first line: it must be a worker of the table that has not said hello yet, with its secret. */
    private void onHello(ControlServer.Connection from, Message.Hello hello) {
        WorkerHandle worker = workers.get(hello.id());
        String refusal = worker == null ? "hello from worker id " + hello.id() + ", which is not a worker of this master"
                : worker.connection != null || worker.greeted ? "a second hello for " + worker + ", refused"
                : worker.pid() != hello.pid() ? "hello for " + worker + " from pid " + hello.pid()
                : !worker.secretMatches(hello.secret()) ? "hello for " + worker + " with the wrong secret" : null;
        if (refusal != null) {
            from.refuse(refusal);
            return;
        }
        worker.greet(from, hello.kind(), clock.getAsLong());
        if (shutdown.graceful()) {
            from.send(new Message.Unready());
        }
    }

    private void onMetrics(WorkerHandle worker, String json) {
        try {
            view.metrics().update(worker.id, json);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} sent unreadable metrics: {}", worker, e.toString());
        }
    }

    private void onReady(WorkerHandle worker) {
        worker.state = worker.state == WorkerHandle.State.BOOTING ? WorkerHandle.State.READY : worker.state;
        worker.lastBeatNanos = clock.getAsLong();
        timeline.info(LOG, "{} ready ({} kind, booted in {} ms)", worker, worker.kind, worker.uptime(clock.getAsLong()).toMillis());
        rollout.onReady(worker);
    }

    private void onExit(WorkerHandle worker, int code) {
        workers.remove(worker);
        view.metrics().retire(worker.id);
        if (shutdown.stopping() || worker.state == WorkerHandle.State.DRAINING) {
            timeline.info(LOG, "{} exited with {}", worker, ExitCodes.describe(code));
            return;
        }
        if (rollout.onExit(worker, ExitCodes.describe(code))) {
            return;
        }
        if (worker.state == WorkerHandle.State.BOOTING && (code == ExitCodes.WORKER_BOOT_ERROR || code == ExitCodes.APP_LOAD_ERROR)) {
            halt(worker, code, code == ExitCodes.APP_LOAD_ERROR ? "an app failed to load" : "the worker failed to boot");
            return;
        }
        if (worker.state == WorkerHandle.State.BOOTING && !worker.greeted && code > 0 && code < 128 && workers.noneReady()) {
            // Its JVM ended before running warhorse (a bad worker.jvm-options, say) and no worker serves: every
            // replacement would end alike. With others serving, it may be passing (memory), so it is respawned.
            halt(worker, ExitCodes.WORKER_BOOT_ERROR, "the worker's JVM did not start (it exited with code " + code + "; "
                    + "check worker.jvm-options)");
            return;
        }
        timeline.error(LOG, "WORKER DIED ({}): exited with {} after {} s; starting a replacement", worker, ExitCodes.describe(code),
                worker.uptime(clock.getAsLong()).toSeconds());
        backoff.died(worker.uptime(clock.getAsLong()));
        if (backoff.crashes() > 1) {
            timeline.warn(LOG, "workers keep dying young ({} in a row); next start in {} ms", backoff.crashes(), backoff.remaining().toMillis());
        }
    }

    private void halt(WorkerHandle worker, int code, String what) {
        timeline.error(LOG, "HALTING: {} in {} (exit code {}); the reason is in the worker's output above. Not restarting "
                + "in a loop: fix it and start warhorse again", what, worker, code);
        exitCode = code;
        beginStop(false);
    }

    // ---- keeping the count and recycling

    private void maintainCount() {
        List<WorkerHandle> serving = workers.serving();
        int target = desired + rollout.booting();
        if (serving.size() < target && backoff.allowsStart()) {
            workers.spawn(generation());
        } else if (serving.size() > target) {
            serving.stream().filter(worker -> !rollout.isReplacement(worker))
                    .min(Comparator.comparingLong(worker -> worker.spawnedNanos))
                    .ifPresent(workers::drain);
        }
    }

    private void recycleOneIfDue() {
        if (!rollout.busy()) {
            Recycling.Due due = Recycling.firstDue(workers.all(), generation().settings().master(), clock.getAsLong());
            if (due != null) {
                rollout.replace(due.worker(), due.reason());
            }
        }
    }

    // ---- what operators ask (signals and Commands)

    void scale(int count) {
        desired = Math.max(1, count);
        timeline.info(LOG, "scaling to {} worker(s)", desired);
    }

    void reload() {
        if (rollout.reloading()) {
            timeline.warn(LOG, "reload already in progress (generation {}); ignoring", generation().number());
            return;
        }
        try {
            Generation next = reloader.next(generation().number() + 1);
            desired = next.settings().master().workers();
            rollout.reload(next);
        } catch (Exception e) {
            timeline.error(LOG, "RELOAD REFUSED: {}; the current workers keep serving", e.getMessage());
        }
    }

    void beginStop(boolean graceful) {
        if (shutdown.begin(graceful, workers.all(), generation().settings())) {
            rollout.cancel();
        }
    }

    /** USR1 and {@code ctl reopen-logs}: the master's log file, then every worker's logs. */
    void reopenLogs() {
        ErrorLog.reopen();
        workers.all().forEach(worker -> worker.process.signal("USR1"));
    }

    // ---- for Commands, the views and tests

    List<WorkerHandle> workers() {
        return workers.snapshot();
    }

    MasterView view() {
        return view;
    }

    Generation generation() {
        return rollout.generation();
    }

    int desired() {
        return desired;
    }

    long now() {
        return clock.getAsLong();
    }
}
