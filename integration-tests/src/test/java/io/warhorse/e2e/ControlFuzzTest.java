package io.warhorse.e2e;

import io.warhorse.it.Http;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.control.Fuzz;
import io.warhorse.core.control.Protocol;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running master with two workers takes 100,000 hostile lines on its control socket, each on a connection of its
 * own so that every one is read: mutations of every kind of message (a hello with the id and pid of a live worker
 * and a made-up secret among them), random bytes, half lines cut off by a close, lines split over many writes, and
 * lines over the maximum length. Meanwhile and after, it still serves every request, keeps the same two workers
 * (none was taken over, stopped or restarted) and answers {@code ctl status}, and it logged the refusals
 * rate-limited.
 */
@Timeout(value = 360, unit = TimeUnit.SECONDS)
class ControlFuzzTest {

    private static final int LINES = 100_000;
    private static final int CLIENTS = 6;
    private static final Duration REQUEST_PAUSE = Duration.ofMillis(10);

    @TempDir
    static Path dir;

    @Test
    void aHundredThousandHostileLinesLeaveEveryWorkerAndEveryRequestServed() throws Exception {
        // a long heartbeat timeout: a worker JVM starved of CPU while it boots is not what this test is about
        try (Warhorse warhorse = Warhorse.start("fuzz", dir, "--workers", "2", "--bind", "127.0.0.1:0", "--timeout", "120s",
                Warhorse.war("hello") + "=/")) {
            warhorse.awaitListening(Duration.ofSeconds(60));
            Set<Long> workers = warhorse.awaitWorkers(2, Duration.ofSeconds(150)).stream().map(Warhorse.Worker::pid)
                    .collect(Collectors.toSet());
            long aWorker = workers.iterator().next();
            List<String> seeds = List.of("hello " + Protocol.VERSION + " 1 " + aWorker + " virtual " + "ab".repeat(32),
                    "ready", "beat 10 2", "metrics {\"a\":1}", "bye", "unready", "ctl " + Protocol.VERSION + " status");
            int from = warhorse.lineCount();
            AtomicLong sent = new AtomicLong();
            AtomicBoolean fuzzing = new AtomicBoolean(true);
            AtomicInteger served = new AtomicInteger();
            try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1)) {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    Random random = new Random(c);
                    done.add(clients.submit(() -> {
                        while (sent.incrementAndGet() <= LINES) {
                            sendOne(warhorse.controlSocket(), seeds, random);
                        }
                        return null;
                    }));
                }
                // a request every REQUEST_PAUSE, not back to back: a loop flat out took a core from the fuzzed master
                Future<?> requests = clients.submit(() -> {
                    while (fuzzing.get()) {
                        assertEquals(200, Http.get(warhorse.port(), "/hello").status());
                        served.incrementAndGet();
                        LockSupport.parkNanos(REQUEST_PAUSE.toNanos());
                    }
                    return null;
                });
                long start = System.nanoTime();
                for (Future<?> client : done) {
                    client.get();
                }
                System.out.printf("ControlFuzzTest: %d lines in %d ms%n", LINES, (System.nanoTime() - start) / 1_000_000);
                fuzzing.set(false);
                requests.get();
            }
            assertTrue(served.get() > 0, "requests were served while the master was fuzzed");
            assertEquals(workers, warhorse.awaitWorkers(2, Duration.ofSeconds(30)).stream().map(Warhorse.Worker::pid)
                    .collect(Collectors.toSet()), "the same two workers serve:\n" + warhorse.tail(30));
            for (int i = 0; i < 20; i++) {
                assertEquals(200, Http.get(warhorse.port(), "/hello").status());
            }
            long refusals = warhorse.lines().subList(from, warhorse.lineCount()).stream()
                    .filter(line -> line.text().contains("CONTROL REFUSED")).count();
            assertTrue(refusals > 0 && refusals < 2_000, refusals + " refusals logged: rate-limited, not one per line");
            assertTrue(warhorse.findLine("a second hello for worker 1 .*refused|hello for worker 1 .*(wrong secret|from pid)", from).isPresent()
                    || warhorse.findLine("more like the next were not logged", from).isPresent(), warhorse.tail(30));
            assertTrue(warhorse.findLine("MASTER ERROR", 0).isEmpty(), "no event made the master fail:\n" + warhorse.tail(30));
        }
    }

    /** One connection: a line (mutated, random, oversized), sent whole, in pieces, or cut off; then waits for the close. */
    private static void sendOne(Path socket, List<String> seeds, Random random) throws IOException {
        int shape = random.nextInt(10_000);
        byte[] line;
        if (shape < 2) {
            line = ("metrics {" + "x".repeat(Protocol.MAX_LINE) + "}\n").getBytes(StandardCharsets.UTF_8);
        } else if (shape < 3_000) {
            line = Fuzz.bytes(random, random.nextInt(200));
        } else {
            line = (Fuzz.mutate(seeds.get(random.nextInt(seeds.size())), random) + "\n").getBytes(StandardCharsets.UTF_8);
        }
        boolean cutOff = random.nextInt(10) == 0;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            int length = cutOff ? random.nextInt(line.length + 1) : line.length;
            ByteBuffer out = ByteBuffer.wrap(line, 0, length);
            int piece = random.nextInt(4) == 0 ? 1 + random.nextInt(8) : Integer.MAX_VALUE;
            while (out.hasRemaining()) {
                ByteBuffer chunk = out.slice().limit(Math.min(out.remaining(), piece));
                out.position(out.position() + channel.write(chunk));
            }
            channel.shutdownOutput();
            ByteBuffer in = ByteBuffer.allocate(8192);
            while (channel.read(in.clear()) >= 0) {
                // the answer to a status, or nothing: the master closes
            }
        } catch (IOException e) {
            // the master closed first (a write after its close): what it does to a hostile peer
        }
    }
}
