package io.warhorse.core.master;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The master's view of one worker process. Mutated only on the arbiter's thread.
 */
final class WorkerHandle {

    private static final SecureRandom RANDOM = new SecureRandom();

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

    private final byte[] secret;

    WorkerHandle(int id, int generation, WorkerProcessRef process, long nowNanos, long maxRequests, String secret) {
        this.secret = secret.getBytes(StandardCharsets.US_ASCII);
        this.id = id;
        this.generation = generation;
        this.process = process;
        this.spawnedNanos = nowNanos;
        this.lastBeatNanos = nowNanos;
        this.maxRequests = maxRequests;
    }

    /** 32 random bytes in hex: what the worker must say in its hello, given to it in its environment. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Compares in constant time. */
    boolean secretMatches(String said) {
        return MessageDigest.isEqual(secret, said.getBytes(StandardCharsets.US_ASCII));
    }

    /** Its hello was accepted: it speaks on {@code from} from now on. */
    void greet(ControlServer.Connection from, String kind, long nowNanos) {
        connection = from;
        greeted = true;
        this.kind = kind;
        lastBeatNanos = nowNanos;
    }

    void beat(io.warhorse.core.control.Message.Beat beat, long nowNanos) {
        lastBeatNanos = nowNanos;
        requests = beat.requests();
        inFlight = beat.inFlight();
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
