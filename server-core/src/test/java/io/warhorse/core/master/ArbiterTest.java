package io.warhorse.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.config.Settings;
import io.warhorse.core.config.TestSettings;
import io.warhorse.core.control.Message;
import io.warhorse.core.control.Protocol;
import io.warhorse.core.logging.RateLimitedLog;
import io.warhorse.core.metrics.Timeline;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The arbiter's decisions with fake worker processes and a fake clock: recycling (one at a time, replacement
 * first), heartbeat timeouts (QUIT, then KILL), crash-loop backoff, halting on exit 3 and 4, a reload (rollout) that
 * succeeds, one that is aborted, scaling during a reload, and a graceful stop with a worker that will not stop.
 */
class ArbiterTest {

    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<FakeProcess> started = new ArrayList<>();
    private final List<SocketChannel> sockets = new ArrayList<>();
    private final Map<Integer, String> secrets = new HashMap<>();
    private ServerSocketChannel controlServer;

    /** A worker process that only records what it is told; the test decides when it exits. */
    static final class FakeProcess implements WorkerProcessRef {
        final long pid;
        final List<String> signals = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        volatile long rss = 50L << 20;
        int generation = 1;

        FakeProcess(long pid) {
            this.pid = pid;
        }

        public long pid() {
            return pid;
        }

        public boolean signal(String name) {
            signals.add(name);
            return !exit.isDone();
        }

        public CompletableFuture<Integer> exit() {
            return exit;
        }

        public long residentBytes() {
            return rss;
        }
    }

    private Arbiter arbiter(String... settings) {
        return arbiter(number -> { throw new IllegalStateException("no reload in this test"); }, TestSettings.of(settings));
    }

    /** An arbiter whose reloads make a generation of the same settings. */
    private Arbiter reloadable(String... settings) {
        Settings base = TestSettings.of(settings);
        return arbiter(number -> new Generation(number, base, dir.resolve("generation-" + number + ".conf")), base);
    }

    private Arbiter arbiter(Arbiter.Reloader reloader, Settings base) {
        Generation first = new Generation(1, base, dir.resolve("generation-1.conf"));
        return new Arbiter(first, (id, generation, socket, secret) -> {
            secrets.put(id, secret);
            FakeProcess process = new FakeProcess(1000 + id);
            process.generation = generation.number();
            started.add(process);
            return process;
        }, reloader, nanos::get, dir.resolve("c.sock"), () -> { });
    }

    @AfterEach
    void closeSockets() throws IOException {
        for (SocketChannel socket : sockets) {
            socket.close();
        }
        if (controlServer != null) {
            controlServer.close();
        }
    }

    /** A real control connection, as a worker would open: the arbiter's side of it. */
    private ControlServer.Connection connection() throws IOException {
        if (controlServer == null) {
            controlServer = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(dir.resolve("t.sock")));
        }
        SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("t.sock")));
        SocketChannel server = controlServer.accept();
        sockets.add(client);
        sockets.add(server);
        return new ControlServer.Connection(server, new RateLimitedLog(LoggerFactory.getLogger(ArbiterTest.class), 10,
                Duration.ofSeconds(1), System::nanoTime));
    }

    /** Says hello and ready for worker {@code id}, as its process would. */
    private ControlServer.Connection boot(Arbiter arbiter, int id) throws Exception {
        ControlServer.Connection connection = connection();
        arbiter.post(new Event.Received(connection, new Message.Hello(Protocol.VERSION, id, 1000 + id, "virtual", secrets.get(id))));
        arbiter.post(new Event.Received(connection, new Message.Ready()));
        turn(arbiter);
        return connection;
    }

    private static Integer turn(Arbiter arbiter) throws InterruptedException {
        Integer code = null;
        for (int i = 0; i < 20 && code == null; i++) {
            code = arbiter.step(Duration.ZERO);
        }
        return code;
    }

    /** Moves the clock on while the loop keeps turning, as it does every 100 ms in the master. */
    private void advance(Arbiter arbiter, Duration by) throws InterruptedException {
        long step = Duration.ofMillis(100).toNanos();
        for (long left = by.toNanos(); left > 0; left -= step) {
            nanos.addAndGet(Math.min(step, left));
            arbiter.step(Duration.ZERO);
        }
    }

    @Test
    void aStallOfTheMasterItselfIsNotCountedAsWorkerSilence() throws Exception {
        Arbiter arbiter = arbiter("warhorse.timeout", "30s");
        turn(arbiter);
        boot(arbiter, 1);
        nanos.addAndGet(Duration.ofSeconds(40).toNanos());
        turn(arbiter);
        assertEquals(List.of(), started.get(0).signals);
    }

    @Test
    void startsTheConfiguredWorkers() throws Exception {
        Arbiter arbiter = arbiter("warhorse.workers", "3");
        turn(arbiter);
        assertEquals(3, started.size());
    }

    @Test
    void recyclesAfterMaxRequestsStartingTheReplacementFirstAndOneAtATime() throws Exception {
        Arbiter arbiter = arbiter("warhorse.workers", "2", "warhorse.max-requests", "100");
        turn(arbiter);
        ControlServer.Connection first = boot(arbiter, 1);
        ControlServer.Connection second = boot(arbiter, 2);
        arbiter.post(new Event.Received(first, new Message.Beat(150, 0)));
        arbiter.post(new Event.Received(second, new Message.Beat(150, 0)));
        turn(arbiter);
        assertEquals(3, started.size(), "one replacement, not two at once");
        assertEquals(List.of(), started.get(0).signals, "the old worker serves until its replacement is ready");

        boot(arbiter, 3);
        assertEquals(List.of("TERM"), started.get(0).signals, "drained once the replacement is ready");
        assertEquals(4, started.size(), "then the second one is replaced");
        assertEquals(List.of(), started.get(1).signals);
    }

    @Test
    void recyclesOnUptimeAndOnMemory() throws Exception {
        Arbiter arbiter = arbiter("warhorse.workers", "2", "warhorse.max-worker-uptime", "1h",
                "warhorse.max-worker-memory", "100MiB", "warhorse.timeout", "10h");
        turn(arbiter);
        boot(arbiter, 1);
        boot(arbiter, 2);
        started.get(1).rss = 200L << 20;
        turn(arbiter);
        assertEquals(3, started.size(), "the worker over max-worker-memory gets a replacement");
        boot(arbiter, 3);
        assertEquals(List.of("TERM"), started.get(1).signals);

        advance(arbiter, Duration.ofMinutes(61));
        turn(arbiter);
        assertEquals(4, started.size(), "then the one over max-worker-uptime");
    }

    @Test
    void silentWorkerGetsQuitThenKillThenAReplacement() throws Exception {
        Arbiter arbiter = arbiter("warhorse.timeout", "30s");
        turn(arbiter);
        boot(arbiter, 1);
        advance(arbiter, Duration.ofSeconds(29));
        turn(arbiter);
        assertEquals(List.of(), started.get(0).signals);
        advance(arbiter, Duration.ofSeconds(2));
        turn(arbiter);
        assertEquals(List.of("QUIT"), started.get(0).signals, "a thread dump first");
        advance(arbiter, Duration.ofSeconds(4));
        turn(arbiter);
        assertEquals(List.of("QUIT", "KILL"), started.get(0).signals);
        started.get(0).exit.complete(137);
        turn(arbiter);
        assertEquals(2, started.size(), "replaced at once");
        List<String> events = arbiter.view().timeline().entries().stream().map(Timeline.Entry::text).toList();
        assertTrue(events.contains("booting worker 1 (pid:1001, generation 1)"), events.toString());
        assertTrue(events.stream().anyMatch(event -> event.startsWith("WORKER TIMEOUT (worker 1 (pid:1001, generation 1)): no heartbeat")), events.toString());
        assertTrue(events.stream().anyMatch(event -> event.startsWith("WORKER DIED (worker 1 (pid:1001, generation 1)): exited with code 137 (SIGKILL)")),
                events.toString());
    }

    @Test
    void aWorkerThatSaidByeIsNotTimedOutWhileItsJvmExitsButIsKilledIfItNeverDoes() throws Exception {
        Arbiter arbiter = arbiter("warhorse.workers", "2", "warhorse.max-requests", "100", "warhorse.timeout", "2s",
                "warhorse.graceful-timeout", "10s");
        turn(arbiter);
        ControlServer.Connection first = boot(arbiter, 1);
        boot(arbiter, 2);
        arbiter.post(new Event.Received(first, new Message.Beat(150, 0)));
        turn(arbiter);
        boot(arbiter, 3);
        assertEquals(List.of("TERM"), started.get(0).signals, "recycled: drained");

        // It drains, says bye, and its JVM then spends seconds writing an AOT configuration, beating no more.
        arbiter.post(new Event.Received(first, new Message.Bye()));
        turn(arbiter);
        advance(arbiter, Duration.ofSeconds(5));
        turn(arbiter);
        assertEquals(List.of("TERM"), started.get(0).signals, "no WORKER TIMEOUT for a worker that is exiting");

        advance(arbiter, Duration.ofSeconds(27));
        turn(arbiter);
        assertEquals(List.of("TERM"), started.get(0).signals);
        advance(arbiter, Duration.ofSeconds(2));
        turn(arbiter);
        assertEquals(List.of("TERM", "KILL"), started.get(0).signals, "30 s (or graceful-timeout) plus the kill grace");
    }

    @Test
    void workersThatKeepDyingYoungAreRestartedWithBackoff() throws Exception {
        Arbiter arbiter = arbiter();
        turn(arbiter);
        boot(arbiter, 1);
        started.get(0).exit.complete(1);
        turn(arbiter);
        assertEquals(2, started.size(), "the first death is replaced at once");
        boot(arbiter, 2);
        started.get(1).exit.complete(1);
        turn(arbiter);
        assertEquals(2, started.size(), "a second quick death waits");
        advance(arbiter, Duration.ofMillis(150));
        turn(arbiter);
        assertEquals(3, started.size());
    }

    @Test
    void anAppThatFailsToLoadHaltsTheMasterWithItsExitCode() throws Exception {
        Arbiter arbiter = arbiter("warhorse.workers", "2");
        turn(arbiter);
        started.get(0).exit.complete(4);
        assertNull(turn(arbiter), "still stopping the other worker");
        assertTrue(started.get(1).signals.contains("INT"), "the other worker is stopped at once");
        started.get(1).exit.complete(0);
        assertEquals(4, turn(arbiter));
        assertEquals(2, started.size(), "no restart loop");
    }

    // ---- reload (rollout), scaling during it, stopping, halting

    /** Two ready workers of generation 1, and a HUP handled: the first replacement boots. */
    private Arbiter reloadingTwoWorkers() throws Exception {
        Arbiter arbiter = reloadable("warhorse.workers", "2");
        turn(arbiter);
        boot(arbiter, 1);
        boot(arbiter, 2);
        arbiter.post(new Event.Signal("HUP"));
        turn(arbiter);
        return arbiter;
    }

    /** The workers that serve (not draining), by the generation of their process. */
    private static List<Integer> servingGenerations(Arbiter arbiter) {
        return arbiter.workers().stream().filter(WorkerHandle::serving).map(worker -> worker.generation).sorted().toList();
    }

    @Test
    void aReloadReplacesEveryWorkerOneAtATimeEachReplacementReadyBeforeItsOldOneDrains() throws Exception {
        Arbiter arbiter = reloadingTwoWorkers();
        assertEquals(3, started.size(), "one replacement at a time");
        assertEquals(List.of(), started.get(0).signals);
        assertEquals(List.of(), started.get(1).signals);

        boot(arbiter, 3);
        assertEquals(List.of("TERM"), started.get(0).signals, "the first old worker drains once its replacement is ready");
        assertEquals(4, started.size(), "then the next replacement starts");
        assertEquals(List.of(), started.get(1).signals);
        started.get(0).exit.complete(0);
        boot(arbiter, 4);
        assertEquals(List.of("TERM"), started.get(1).signals);
        started.get(1).exit.complete(0);
        turn(arbiter);
        assertEquals(2, arbiter.generation().number());
        assertEquals(List.of(2, 2), servingGenerations(arbiter));
        assertEquals(4, started.size(), "no worker more than the count");
    }

    @Test
    void aReloadWhoseNewWorkerDiesBootingIsAbortedAndTheOldWorkersKeepServing() throws Exception {
        Arbiter arbiter = reloadingTwoWorkers();
        started.get(2).exit.complete(4); // the new generation's app fails to load
        turn(arbiter);
        assertEquals(1, arbiter.generation().number(), "back to the previous generation");
        assertEquals(List.of(1, 1), servingGenerations(arbiter));
        assertEquals(List.of(), started.get(0).signals, "the old workers were never told to stop");
        assertEquals(List.of(), started.get(1).signals);
        advance(arbiter, Duration.ofSeconds(5));
        assertEquals(3, started.size(), "the reload is not retried, the master is not halted");
        assertNull(turn(arbiter));
    }

    @Test
    void scalingUpAndDownDuringAReloadEndsWithTheAskedCountAllOfTheNewGeneration() throws Exception {
        Arbiter arbiter = reloadingTwoWorkers();
        arbiter.post(new Event.Signal("TTIN"));
        turn(arbiter);
        assertEquals(4, started.size(), "one more worker, of the new generation, beside the booting replacement");
        assertEquals(2, started.get(3).generation);
        for (int id = 3; id <= started.size(); id++) {
            bootIfNew(arbiter, id);
        }
        arbiter.scale(1);
        for (int round = 0; round < 10; round++) {
            started.stream().filter(process -> process.signals.contains("TERM")).forEach(process -> process.exit.complete(0));
            turn(arbiter);
            for (int id = 1; id <= started.size(); id++) {
                bootIfNew(arbiter, id);
            }
        }
        assertEquals(List.of(2), servingGenerations(arbiter), "one worker, of generation 2: " + arbiter.workers());
        assertTrue(arbiter.workers().stream().allMatch(worker -> worker.state == WorkerHandle.State.READY));
    }

    private final java.util.Set<Integer> booted = new java.util.HashSet<>();

    private void bootIfNew(Arbiter arbiter, int id) throws Exception {
        if (booted.add(id) && !started.get(id - 1).exit.isDone()) {
            boot(arbiter, id);
        }
    }

    @Test
    void aGracefulStopSparesAWorkerThatSaidByeWhileItsJvmEndsAndKillsItIfItNeverDoes() throws Exception {
        Arbiter arbiter = arbiter("warhorse.workers", "1", "warhorse.graceful-timeout", "10s", "warhorse.timeout", "2s");
        turn(arbiter);
        ControlServer.Connection worker = boot(arbiter, 1);
        arbiter.post(new Event.Signal("TERM"));
        turn(arbiter);
        arbiter.post(new Event.Received(worker, new Message.Bye()));
        turn(arbiter);
        advance(arbiter, Duration.ofSeconds(20));
        assertNull(turn(arbiter), "still waiting for the exiting JVM, past graceful-timeout plus the kill grace");
        assertEquals(List.of("TERM"), started.get(0).signals, "said bye: not killed at the stop's deadline");
        advance(arbiter, Duration.ofSeconds(14));
        turn(arbiter);
        assertEquals("KILL", started.get(0).signals.getLast(), "a JVM that never ends is killed all the same");
        started.get(0).exit.complete(137);
        assertEquals(0, turn(arbiter));
    }

    @Test
    void aGracefulStopKillsAWorkerThatWillNotStopAfterTheGracefulTimeout() throws Exception {
        Arbiter arbiter = arbiter("warhorse.workers", "2", "warhorse.graceful-timeout", "10s", "warhorse.timeout", "1h");
        turn(arbiter);
        boot(arbiter, 1);
        boot(arbiter, 2);
        arbiter.post(new Event.Signal("TERM"));
        turn(arbiter);
        assertEquals(List.of("TERM"), started.get(0).signals);
        assertEquals(List.of("TERM"), started.get(1).signals);
        started.get(0).exit.complete(0); // the first drains and exits; the second ignores TERM
        advance(arbiter, Duration.ofSeconds(12));
        assertNull(turn(arbiter), "still waiting inside graceful-timeout plus the kill grace");
        assertEquals(List.of("TERM"), started.get(1).signals);
        advance(arbiter, Duration.ofSeconds(2));
        assertTrue(started.get(1).signals.contains("KILL"), started.get(1).signals.toString());
        started.get(1).exit.complete(137);
        assertEquals(0, turn(arbiter), "the master's stop still ends with 0");
        assertEquals(2, started.size(), "nobody respawned during the stop");
    }

    @Test
    void crashLoopBackoffDoublesTheDelayAndAWorkerThatLivedResetsIt() throws Exception {
        Arbiter arbiter = arbiter();
        turn(arbiter);
        long[] waits = {0, 100, 200, 400, 800};
        for (int crash = 0; crash < waits.length; crash++) {
            boot(arbiter, crash + 1); // it served: a worker that dies before its hello with none serving halts instead
            started.get(crash).exit.complete(1);
            turn(arbiter);
            if (waits[crash] > 0) {
                assertEquals(crash + 1, started.size(), "crash " + (crash + 1) + " waits");
                advance(arbiter, Duration.ofMillis(waits[crash] - 50));
                assertEquals(crash + 1, started.size(), "crash " + (crash + 1) + " still waits");
                advance(arbiter, Duration.ofMillis(100));
            }
            assertEquals(crash + 2, started.size(), "restarted after crash " + (crash + 1));
        }
        boot(arbiter, waits.length + 1);
        advance(arbiter, Duration.ofSeconds(10));
        started.getLast().exit.complete(1);
        turn(arbiter);
        assertEquals(waits.length + 2, started.size(), "a worker that lived 10 s is replaced at once");
    }

    @Test
    void aWorkerThatCannotBootHaltsTheMasterWithExitCode3() throws Exception {
        Arbiter arbiter = arbiter("warhorse.workers", "2");
        turn(arbiter);
        started.get(0).exit.complete(3);
        assertNull(turn(arbiter));
        assertTrue(started.get(1).signals.contains("INT"));
        started.get(1).exit.complete(0);
        assertEquals(3, turn(arbiter));
        assertEquals(2, started.size(), "no restart loop");
    }

    // ---- who may say hello

    @Test
    void aHelloWithAWrongSecretPidOrIdAndASecondHelloAreRefusedAndTheirConnectionsClosed() throws Exception {
        Arbiter arbiter = arbiter();
        turn(arbiter);
        String secret = secrets.get(1);
        List<Message.Hello> impostors = List.of(
                new Message.Hello(Protocol.VERSION, 1, 1001, "virtual", "00".repeat(32)),
                new Message.Hello(Protocol.VERSION, 1, 4242, "virtual", secret),
                new Message.Hello(Protocol.VERSION, 7, 1007, "virtual", secret));
        for (Message.Hello hello : impostors) {
            ControlServer.Connection connection = connection();
            arbiter.post(new Event.Received(connection, hello));
            turn(arbiter);
            assertTrue(closedByTheMaster(), hello + " was refused");
            assertTrue(arbiter.workers().stream().noneMatch(worker -> worker.greeted), "nobody took worker 1's place");
        }
        ControlServer.Connection real = boot(arbiter, 1);
        assertTrue(!closedByTheMaster(), "the real worker's hello is taken");
        arbiter.post(new Event.Received(connection(), new Message.Hello(Protocol.VERSION, 1, 1001, "virtual", secret)));
        turn(arbiter);
        assertTrue(closedByTheMaster(), "a second hello, even with the secret, is refused");
        assertEquals(real, arbiter.workers().getFirst().connection, "the first connection keeps the worker");
    }

    /** Whether the master closed the last connection made: its client reads the end of the stream. */
    private boolean closedByTheMaster() throws IOException {
        SocketChannel client = sockets.get(sockets.size() - 2);
        client.configureBlocking(false);
        return client.read(java.nio.ByteBuffer.allocate(16)) < 0;
    }
}
