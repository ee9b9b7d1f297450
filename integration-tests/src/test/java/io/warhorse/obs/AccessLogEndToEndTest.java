package io.warhorse.obs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warhorse.e2e.Warhorse;
import io.warhorse.it.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real master with two workers writing one JSON access log: every line is one JSON object with the
 * request's fields and escapes what a path may hold; renaming the file and sending USR1 while requests run
 * (or {@code warhorse ctl reopen-logs}) loses no line (logrotate's way).
 */
class AccessLogEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static Path log;
    private static Warhorse master;

    @BeforeAll
    static void start() throws Exception {
        log = dir.resolve("access.log");
        master = Warhorse.observed("access-log", dir, 2, "--access-logfile", log.toString(), "--access-logformat", "json",
                "--forwarded-allow-ips", "127.0.0.1", Warhorse.war("hello").toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (master != null) {
            master.close();
        }
    }

    @Test
    void jsonLinesParseAndEscapeAPathWithQuotesAndNewlines() throws Exception {
        String raw = rawGet("/hello/say%22hi%22%0Anext");
        assertTrue(raw.startsWith("HTTP/1.1 404"), raw);
        String wanted = "/hello/say\"hi\"\nnext";
        master.await(Duration.ofSeconds(10), () -> lines(log).stream().anyMatch(line -> line.contains("say")));
        JsonNode entry = null;
        for (String line : lines(log)) {
            JsonNode node = JSON.readTree(line); // every line is a whole JSON object
            assertTrue(node.isObject(), line);
            if (node.get("path").asText().equals(wanted)) {
                entry = node;
                assertTrue(line.contains("say\\\"hi\\\"\\nnext\""), "escaped in the line itself: " + line);
            }
        }
        assertTrue(entry != null, "no line for the path: " + lines(log));
        assertEquals("GET", entry.get("method").asText());
        assertEquals(404, entry.get("status").asInt());
        assertTrue(entry.get("bytes").asLong() > 0);
        assertTrue(entry.get("duration_ms").asDouble() >= 0);
        assertEquals("127.0.0.1", entry.get("remote").asText());
        assertTrue(entry.get("pid").asLong() > 0 && entry.get("pid").asLong() != master.masterPid());
        assertTrue(entry.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), entry.toString());
    }

    @Test
    void remoteIsTheNearestUntrustedForwardedForHopBehindATrustedProxy() throws Exception {
        // the peer 127.0.0.1 is a trusted proxy; the leftmost hop is whatever the client claimed
        rawGet("/hello/proxied", "X-Forwarded-For: 6.6.6.6, 198.51.100.7");
        master.await(Duration.ofSeconds(10), () -> lines(log).stream().anyMatch(line -> line.contains("proxied")));
        JsonNode entry = JSON.readTree(lines(log).stream().filter(line -> line.contains("proxied")).findFirst().orElseThrow());
        assertEquals("198.51.100.7", entry.get("remote").asText());
    }

    @Test
    void reopeningUnderLoadLosesNoLine() throws Exception {
        long before = countLines(dir);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong answered = new AtomicLong();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        CountDownLatch started = new CountDownLatch(4);
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            loops.add(clients.submit(() -> {
                started.countDown();
                while (running.get()) {
                    if (Http.get(master.uri("/hello/hello")).statusCode() == 200) {
                        answered.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        try {
            assertTrue(started.await(10, TimeUnit.SECONDS));
            for (int rotation = 1; rotation <= 3; rotation++) {
                long target = answered.get() + 100;
                master.await(Duration.ofSeconds(30), () -> answered.get() >= target);
                Files.move(log, dir.resolve("access.log." + rotation));
                if (rotation == 2) {
                    assertTrue(master.ctlOk("reopen-logs").contains("reopening"));
                } else {
                    master.signal("USR1");
                }
                master.await(Duration.ofSeconds(10), () -> Files.exists(log)); // a worker reopened it
            }
            long target = answered.get() + 100;
            master.await(Duration.ofSeconds(30), () -> answered.get() >= target);
        } finally {
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get(30, TimeUnit.SECONDS);
            }
            clients.shutdownNow();
        }
        long expected = before + answered.get();
        master.await(Duration.ofSeconds(10), () -> countLines(dir) >= expected);
        assertEquals(expected, countLines(dir), "lines over every rotated file");
        assertTrue(Files.size(log) > 0, "the reopened file gets the lines after the last rotation");
    }

    private static long countLines(Path folder) {
        try (var files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().startsWith("access.log")).mapToLong(f -> lines(f).size()).sum();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file) {
        String text = read(file);
        return text.isEmpty() ? List.of() : text.lines().toList();
    }

    /** A GET with the path exactly as given, over a plain socket. */
    private static String rawGet(String path, String... headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", master.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            for (String header : headers) {
                head.append(header).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
