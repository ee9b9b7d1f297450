package io.warhorse.core.master;

import java.time.Duration;

/**
 * The master's view of one worker process. Mutated only on the arbiter's thread.
 */
final class WorkerHandle {

    enum State { BOOTING, READY, DRAINING }

    final int id;
    final int generation;
    final WorkerProcessRef process;
    final long spawnedNanos;
    final long maxRequests;
    State state = State.BOOTING;
    long lastBeatNanos;
    long requests;
    long inFlight;
    long quitSentNanos;
    long termSentNanos;
    /** When it said {@code bye}: done, its JVM exiting; 0 before. Silence after that is no hang. */
    long byeNanos;
    /** Said hello: its JVM is up and heartbeating, so the timeout applies (before, the boot grace does). */
    boolean greeted;
    String kind = "?";
    ControlServer.Connection connection;

    WorkerHandle(int id, int generation, WorkerProcessRef process, long nowNanos, long maxRequests) {
        this.id = id;
        this.generation = generation;
        this.process = process;
        this.spawnedNanos = nowNanos;
        this.lastBeatNanos = nowNanos;
        this.maxRequests = maxRequests;
    }

    long pid() {
        return process.pid();
    }

    Duration uptime(long nowNanos) {
        return Duration.ofNanos(nowNanos - spawnedNanos);
    }

    Duration silentFor(long nowNanos) {
        return Duration.ofNanos(nowNanos - lastBeatNanos);
    }

    boolean serving() {
        return state != State.DRAINING;
    }

    @Override
    public String toString() {
        return "worker " + id + " (pid:" + pid() + ", generation " + generation + ")";
    }
}
