package io.warhorse.core.master;

import io.warhorse.core.config.Settings;
import io.warhorse.core.logging.ErrorLog;
import io.warhorse.core.metrics.MasterView;
import io.warhorse.core.process.ExitCodes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's loop, after gunicorn's arbiter: take the next event (signal, worker message, worker exit, operator
 * command), handle it, kill workers that stopped heartbeating, recycle one worker that is due, keep the worker
 * count. Everything here runs on the one thread that calls {@link #run()}; other threads only {@link #post} events.
 *
 * <p>Replacing a worker (recycling, reload) always starts the new worker first and drains the old one only once
 * the new one reports ready, one worker at a time.
 */
final class Arbiter {

    private static final Logger LOG = LoggerFactory.getLogger(Arbiter.class);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration KILL_GRACE = Duration.ofSeconds(3);
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

    /** Where new generations come from on HUP; throws with the reason if the config or an app is broken. */
    interface Reloader {
        Generation next(int number) throws Exception;
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Map<Integer, WorkerHandle> workers = new LinkedHashMap<>();
    private final WorkerLauncher launcher;
    private final Reloader reloader;
    private final LongSupplier clock;
    private final Path controlSocket;
    private final Runnable stopListening;
    private final Commands commands = new Commands(this);
    private final MasterView view = new MasterView();
    private final Deque<WorkerHandle> rollout = new ArrayDeque<>();
    private Generation generation;
    private Generation previous;
    private int desired;
    private int nextId = 1;
    private Replacement replacing;
    private Stop stop;
    private Backoff backoff = Backoff.NONE;
    private Integer exitCode;
    private boolean listening = true;
    private long lastPass;

    /** A worker being replaced and its replacement, booting; the old one drains when the new one is ready. */
    private record Replacement(WorkerHandle old, WorkerHandle fresh, String reason) {}

    /** A stop in progress: TERM goes to workers at {@code termAtNanos}; KILL at {@code killAtNanos}. */
    private record Stop(boolean graceful, long termAtNanos, long killAtNanos) {}

    /** Respawn delay after workers that die young. */
    private record Backoff(int crashes, long notBeforeNanos) {
        static final Backoff NONE = new Backoff(0, 0);
    }

    /** {@code stopListening} closes the master's copy of the app socket when the workers are told to stop. */
    Arbiter(Generation first, WorkerLauncher launcher, Reloader reloader, LongSupplier clock, Path controlSocket,
            Runnable stopListening) {
        this.generation = first;
        this.desired = first.settings().master().workers();
        this.launcher = launcher;
        this.reloader = reloader;
        this.clock = clock;
        this.lastPass = clock.getAsLong();
        this.controlSocket = controlSocket;
        this.stopListening = stopListening;
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
     * One turn of the loop: waits up to {@code wait} for an event and handles it, then kills hung workers,
     * recycles one that is due and keeps the count. Returns the exit code once a stop has ended, else null.
     */
    Integer step(Duration wait) throws InterruptedException {
        // Every queued event first: a heartbeat waiting in the queue must not count as silence.
        for (Event event = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS); event != null; event = events.poll()) {
            handle(event);
        }
        lastPass = forgiveOwnStall(lastPass);
        if (stop != null) {
            if (workers.isEmpty()) {
                return exitCode == null ? ExitCodes.OK : exitCode;
            }
            advanceStop();
            return null;
        }
        killHungWorkers();
        recycleOneIfDue();
        continueRollout();
        maintainCount();
        view.publish(WorkerRows.of(this), generation.number(), desired);
        return null;
    }

    // ---- events

    private void handle(Event event) {
        switch (event) {
            case Event.Signal signal -> onSignal(signal.name());
            case Event.Exited exited -> onExit(exited.worker(), exited.code());
            case Event.Line line -> onLine(line.from(), line.text());
            case Event.Closed closed -> workerOf(closed.connection()).ifPresent(worker -> worker.connection = null);
        }
    }

    private void onSignal(String name) {
        LOG.info("received SIG{}", name);
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

    private void onLine(ControlServer.Connection from, String text) {
        String[] words = text.trim().split("\\s+");
        switch (words[0]) {
            case "hello" -> onHello(from, words);
            case "ready" -> workerOf(from).ifPresent(this::onReady);
            case "beat" -> workerOf(from).ifPresent(worker -> onBeat(worker, words));
            case "metrics" -> workerOf(from).ifPresent(worker -> onMetrics(worker, text));
            case "bye" -> workerOf(from).ifPresent(worker -> worker.byeNanos = clock.getAsLong());
            default -> commands.handle(from, words);
        }
    }

    private void onHello(ControlServer.Connection from, String[] words) {
        WorkerHandle worker = workers.get(Integer.parseInt(words[1]));
        if (worker != null) {
            worker.connection = from;
            worker.greeted = true;
            worker.kind = words.length > 3 ? words[3] : "?";
            worker.lastBeatNanos = clock.getAsLong();
            if (stop != null && stop.graceful()) {
                from.send("unready");
            }
        }
    }

    private void onBeat(WorkerHandle worker, String[] words) {
        worker.lastBeatNanos = clock.getAsLong();
        worker.requests = Long.parseLong(words[1]);
        worker.inFlight = Long.parseLong(words[2]);
    }

    private void onMetrics(WorkerHandle worker, String text) {
        try {
            view.metrics().update(worker.id, text.substring(text.indexOf(' ') + 1));
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} sent unreadable metrics: {}", worker, e.toString());
        }
    }

    /** USR1 and {@code ctl reopen-logs}: the master's log file, then every worker's logs. */
    void reopenLogs() {
        ErrorLog.reopen();
        workers.values().forEach(worker -> worker.process.signal("USR1"));
    }

    private void onReady(WorkerHandle worker) {
        worker.state = worker.state == WorkerHandle.State.BOOTING ? WorkerHandle.State.READY : worker.state;
        worker.lastBeatNanos = clock.getAsLong();
        LOG.info("{} ready ({} kind, booted in {} ms)", worker, worker.kind, worker.uptime(clock.getAsLong()).toMillis());
        if (replacing != null && replacing.fresh() == worker) {
            LOG.info("{} replaces {} ({}); draining the old one", worker, replacing.old(), replacing.reason());
            drain(replacing.old());
            replacing = null;
            if (rollout.isEmpty() && previous != null) {
                LOG.info("reload complete: generation {} serving", generation.number());
                previous = null;
            }
        }
    }

    private void onExit(WorkerHandle worker, int code) {
        workers.remove(worker.id);
        view.metrics().retire(worker.id);
        if (stop != null || worker.state == WorkerHandle.State.DRAINING) {
            LOG.info("{} exited with code {}", worker, code);
            return;
        }
        if (replacing != null && replacing.fresh() == worker) {
            abortReplacement(worker, code);
            return;
        }
        if (replacing != null && replacing.old() == worker) {
            replacing = null;
        }
        if (worker.state == WorkerHandle.State.BOOTING && (code == ExitCodes.WORKER_BOOT_ERROR || code == ExitCodes.APP_LOAD_ERROR)) {
            halt(worker, code, code == ExitCodes.APP_LOAD_ERROR ? "an app failed to load" : "the worker failed to boot");
            return;
        }
        if (worker.state == WorkerHandle.State.BOOTING && !worker.greeted && code > 0 && code < 128 && noneReady()) {
            // Its JVM ended before running warhorse (a bad worker.jvm-options, say) and no worker serves: every
            // replacement would end alike. With others serving, it may be passing (memory), so it is respawned.
            halt(worker, ExitCodes.WORKER_BOOT_ERROR, "the worker's JVM did not start (it exited with code " + code + "; "
                    + "check worker.jvm-options)");
            return;
        }
        LOG.error("WORKER DIED ({}): exited with {} after {} s; starting a replacement", worker, describe(code),
                worker.uptime(clock.getAsLong()).toSeconds());
        noteCrash(worker);
    }

    private boolean noneReady() {
        return workers.values().stream().noneMatch(other -> other.state == WorkerHandle.State.READY);
    }

    // ---- keeping the count

    private void maintainCount() {
        List<WorkerHandle> serving = workers.values().stream().filter(WorkerHandle::serving).toList();
        int target = desired + (replacing != null ? 1 : 0);
        if (serving.size() < target && clock.getAsLong() >= backoff.notBeforeNanos()) {
            spawn(generation);
        } else if (serving.size() > target) {
            serving.stream().filter(worker -> replacing == null || worker != replacing.fresh())
                    .min(Comparator.comparingLong(worker -> worker.spawnedNanos))
                    .ifPresent(this::drain);
        }
    }

    void scale(int count) {
        desired = Math.max(1, count);
        LOG.info("scaling to {} worker(s)", desired);
    }

    private Optional<WorkerHandle> spawn(Generation of) {
        int id = nextId++;
        try {
            WorkerProcessRef process = launcher.launch(id, of, controlSocket);
            long maxRequests = maxRequestsWithJitter(of.settings().master());
            WorkerHandle worker = new WorkerHandle(id, of.number(), process, clock.getAsLong(), maxRequests);
            workers.put(id, worker);
            process.exit().thenAccept(code -> post(new Event.Exited(worker, code)));
            LOG.info("booting {}", worker);
            return Optional.of(worker);
        } catch (IOException e) {
            LOG.error("cannot start a worker process: {}", e.toString());
            backoff = nextBackoff();
            return Optional.empty();
        }
    }

    private static long maxRequestsWithJitter(Settings.Master master) {
        if (master.maxRequests() <= 0) {
            return Long.MAX_VALUE;
        }
        int jitter = master.maxRequestsJitter();
        return master.maxRequests() + (jitter > 0 ? ThreadLocalRandom.current().nextInt(jitter + 1) : 0);
    }

    private void noteCrash(WorkerHandle worker) {
        boolean young = worker.uptime(clock.getAsLong()).compareTo(Duration.ofSeconds(5)) < 0;
        backoff = young ? nextBackoff() : Backoff.NONE;
        if (backoff.crashes() > 1) {
            LOG.warn("workers keep dying young ({} in a row); next start in {} ms", backoff.crashes(),
                    Duration.ofNanos(backoff.notBeforeNanos() - clock.getAsLong()).toMillis());
        }
    }

    private Backoff nextBackoff() {
        int crashes = backoff.crashes() + 1;
        long delayMillis = crashes <= 1 ? 0 : Math.min(10_000, 100L << Math.min(crashes - 2, 10));
        return new Backoff(crashes, clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(delayMillis));
    }

    private void halt(WorkerHandle worker, int code, String what) {
        LOG.error("HALTING: {} in {} (exit code {}); the reason is in the worker's output above. Not restarting "
                + "in a loop: fix it and start warhorse again", what, worker, code);
        exitCode = code;
        beginStop(false);
    }

    // ---- timeouts and recycling

    /**
     * Time this loop did not run (the master starved of CPU, paused, stopped) does not count as a worker's silence:
     * the beats sent meanwhile may still be in the socket. Returns the time of this pass.
     */
    private long forgiveOwnStall(long lastPass) {
        long now = clock.getAsLong();
        long stalled = now - lastPass - STALL.toNanos();
        if (stalled > 0) {
            LOG.warn("the master did not run for {} ms; not counting that against the workers' heartbeats",
                    Duration.ofNanos(now - lastPass).toMillis());
            workers.values().forEach(worker -> worker.lastBeatNanos = Math.min(now, worker.lastBeatNanos + stalled));
        }
        return now;
    }

    private void killHungWorkers() {
        long now = clock.getAsLong();
        Duration heartbeatTimeout = generation.settings().master().timeout();
        Duration graceful = generation.settings().gracefulTimeout();
        Duration exitGrace = (graceful.compareTo(EXIT_GRACE) > 0 ? graceful : EXIT_GRACE).plus(KILL_GRACE);
        for (WorkerHandle worker : workers.values()) {
            if (worker.byeNanos != 0) {
                // Done and exiting: no more beats. Its JVM may take seconds to end (writing an AOT configuration),
                // so the heartbeat does not apply; a JVM stuck in its exit is still killed.
                if (now - worker.byeNanos > exitGrace.toNanos() && worker.quitSentNanos == 0) {
                    LOG.warn("{} said it was exiting {} s ago and has not; killing it", worker, exitGrace.toSeconds());
                    kill(worker);
                }
                continue;
            }
            Duration timeout = worker.greeted || heartbeatTimeout.compareTo(HELLO_GRACE) > 0 ? heartbeatTimeout : HELLO_GRACE;
            if (worker.quitSentNanos == 0 && worker.silentFor(now).compareTo(timeout) > 0) {
                LOG.error("WORKER TIMEOUT ({}): no heartbeat for {} s (timeout {} s); sent SIGQUIT, its thread dump "
                        + "follows in this log (the worker's stdout); SIGKILL in {} s", worker,
                        worker.silentFor(now).toSeconds(), timeout.toSeconds(), KILL_GRACE.toSeconds());
                worker.process.signal("QUIT");
                worker.quitSentNanos = now;
            } else if (worker.quitSentNanos != 0 && now - worker.quitSentNanos > KILL_GRACE.toNanos()) {
                kill(worker);
            }
            if (worker.state == WorkerHandle.State.DRAINING && worker.termSentNanos != 0
                    && now - worker.termSentNanos > generation.settings().gracefulTimeout().plus(KILL_GRACE).toNanos()) {
                LOG.warn("{} still draining after graceful-timeout; killing it", worker);
                worker.process.signal("KILL");
                worker.termSentNanos = 0;
            }
        }
    }

    /** SIGKILL, once: {@code quitSentNanos} is moved so far ahead that neither timeout fires for it again. */
    private static void kill(WorkerHandle worker) {
        worker.process.signal("KILL");
        worker.quitSentNanos = Long.MAX_VALUE / 2;
    }

    private void recycleOneIfDue() {
        if (replacing != null || !rollout.isEmpty()) {
            return;
        }
        Settings.Master master = generation.settings().master();
        long now = clock.getAsLong();
        for (WorkerHandle worker : workers.values()) {
            if (worker.state != WorkerHandle.State.READY) {
                continue;
            }
            String reason = recycleReason(worker, master, now);
            if (reason != null) {
                replace(worker, generation, reason);
                return;
            }
        }
    }

    private static String recycleReason(WorkerHandle worker, Settings.Master master, long now) {
        if (worker.requests >= worker.maxRequests) {
            return "served " + worker.requests + " requests (max-requests)";
        }
        if (!master.maxWorkerUptime().isZero() && worker.uptime(now).compareTo(master.maxWorkerUptime()) >= 0) {
            return "up for " + worker.uptime(now).toSeconds() + " s (max-worker-uptime)";
        }
        if (master.maxWorkerMemory() > 0) {
            long rss = worker.process.residentBytes();
            if (rss > master.maxWorkerMemory()) {
                return "resident memory " + (rss >> 20) + " MiB (max-worker-memory " + (master.maxWorkerMemory() >> 20) + " MiB)";
            }
        }
        return null;
    }

    private void replace(WorkerHandle old, Generation of, String reason) {
        LOG.info("replacing {}: {}; its replacement starts first", old, reason);
        spawn(of).ifPresent(fresh -> replacing = new Replacement(old, fresh, reason));
    }

    private void abortReplacement(WorkerHandle fresh, int code) {
        Replacement failed = replacing;
        replacing = null;
        if (previous != null) {
            LOG.error("RELOAD ABORTED: new {} exited with {} before it was ready; {} worker(s) of generation {} "
                    + "keep serving. The reason is in the worker's output above.", fresh, describe(code),
                    workers.size(), previous.number());
            generation = previous;
            previous = null;
            rollout.clear();
        } else {
            LOG.error("replacement {} exited with {} before it was ready; {} keeps serving ({})", fresh,
                    describe(code), failed.old(), failed.reason());
            backoff = nextBackoff();
        }
    }

    // ---- reload

    void reload() {
        if (previous != null) {
            LOG.warn("reload already in progress (generation {}); ignoring", generation.number());
            return;
        }
        try {
            Generation next = reloader.next(generation.number() + 1);
            previous = generation;
            generation = next;
            desired = next.settings().master().workers();
            workers.values().stream().filter(worker -> worker.serving() && worker.generation < next.number())
                    .forEach(rollout::add);
            LOG.info("reloading: generation {}, replacing {} worker(s) one at a time", next.number(), rollout.size());
        } catch (Exception e) {
            LOG.error("RELOAD REFUSED: {}; the current workers keep serving", e.getMessage());
        }
    }

    private void continueRollout() {
        if (replacing != null) {
            return;
        }
        WorkerHandle old = rollout.poll();
        while (old != null && !workers.containsKey(old.id)) {
            old = rollout.poll();
        }
        if (old != null) {
            replace(old, generation, "reload to generation " + generation.number());
        } else if (previous != null) {
            LOG.info("reload complete: generation {} serving", generation.number());
            previous = null;
        }
    }

    // ---- stopping

    private void drain(WorkerHandle worker) {
        if (worker.state == WorkerHandle.State.DRAINING) {
            return;
        }
        worker.state = WorkerHandle.State.DRAINING;
        worker.termSentNanos = clock.getAsLong();
        worker.process.signal("TERM");
    }

    void beginStop(boolean graceful) {
        if (stop != null && (graceful || !stop.graceful())) {
            return;
        }
        if (stop != null) {
            // A quick stop (INT) during a graceful one: the workers already draining get INT too, not KILL later.
            workers.values().forEach(worker -> worker.termSentNanos = 0);
        }
        long now = clock.getAsLong();
        Settings settings = generation.settings();
        Duration delay = graceful ? settings.master().drainDelay() : Duration.ZERO;
        Duration grace = graceful ? settings.gracefulTimeout() : Duration.ofSeconds(1);
        stop = new Stop(graceful, now + delay.toNanos(), now + delay.plus(grace).plus(KILL_GRACE).toNanos());
        if (graceful && !delay.isZero()) {
            LOG.info("stopping: readiness now answers 503; serving {} s more before draining", delay.toSeconds());
            workers.values().forEach(worker -> Optional.ofNullable(worker.connection).ifPresent(c -> c.send("unready")));
        } else {
            LOG.info(graceful ? "stopping gracefully: draining {} worker(s), up to {} s" : "stopping now: {} worker(s)",
                    workers.size(), grace.toSeconds());
        }
        rollout.clear();
        replacing = null;
    }

    private void advanceStop() {
        long now = clock.getAsLong();
        if (now >= stop.termAtNanos()) {
            if (listening) {
                stopListening.run();
                listening = false;
                LOG.info("stopped listening: new connections are refused while the workers finish");
            }
            for (WorkerHandle worker : workers.values()) {
                if (worker.termSentNanos == 0 || worker.state != WorkerHandle.State.DRAINING) {
                    worker.state = WorkerHandle.State.DRAINING;
                    worker.termSentNanos = now;
                    worker.process.signal(stop.graceful() ? "TERM" : "INT");
                }
            }
        }
        if (now >= stop.killAtNanos()) {
            workers.values().forEach(worker -> worker.process.signal("KILL"));
        }
    }

    // ---- for Commands and tests

    List<WorkerHandle> workers() {
        return new ArrayList<>(workers.values());
    }

    MasterView view() {
        return view;
    }

    Generation generation() {
        return generation;
    }

    int desired() {
        return desired;
    }

    long now() {
        return clock.getAsLong();
    }

    private Optional<WorkerHandle> workerOf(ControlServer.Connection connection) {
        return workers.values().stream().filter(worker -> worker.connection == connection).findFirst();
    }

    private static String describe(int code) {
        return switch (code) {
            case ExitCodes.WORKER_BOOT_ERROR -> "code 3 (worker failed to boot)";
            case ExitCodes.APP_LOAD_ERROR -> "code 4 (an app failed to load)";
            case 137 -> "code 137 (SIGKILL)";
            default -> code > 128 ? "code " + code + " (signal " + (code - 128) + ")" : "code " + code;
        };
    }
}
