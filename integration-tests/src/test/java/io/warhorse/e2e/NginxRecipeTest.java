package io.warhorse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/nginx/warhorse.conf in the real nginx, on loopback, in front of two real warhorse instances: the app sees
 * the X-Forwarded-* headers and no {@code Connection} header (the upstream connection is kept alive); an HTTP
 * Upgrade (WebSocket's handshake) passes through both ways; and under load, one warhorse stopped with TERM and a
 * drain delay loses no request: nginx moves to the other one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NginxRecipeTest {

    @TempDir
    static Path dir;
    private Warhorse first;
    private Warhorse second;
    private Process nginx;
    private int port;

    @BeforeAll
    void start() throws Exception {
        Path war = Files.copy(Warhorse.war("hello"), dir.resolve("hello.war"));
        String[] args = {"--bind", "127.0.0.1:0", "--admin-bind", "127.0.0.1:0", "--drain-delay", "2s",
                "--graceful-timeout", "10s", "--forwarded-allow-ips", "127.0.0.1", war.toString()};
        first = Warhorse.start("nginx-first", dir, args); // both boot at once
        second = Warhorse.start("nginx-second", dir, args);
        for (Warhorse warhorse : List.of(first, second)) {
            warhorse.awaitListening(Duration.ofSeconds(30));
            warhorse.awaitWorkers(1, Duration.ofSeconds(60));
        }
        port = freePort();
        Path recipe = Path.of(System.getProperty("warhorse.conf", "../conf")).resolve("nginx/warhorse.conf");
        String server = Files.readString(recipe)
                .replace("127.0.0.1:8001", "127.0.0.1:" + first.port())
                .replace("127.0.0.1:8002", "127.0.0.1:" + second.port())
                .replace("listen 80;", "listen 127.0.0.1:" + port + ";");
        Files.writeString(dir.resolve("warhorse-site.conf"), server);
        Path conf = Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 512; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/client-body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/warhorse-site.conf;
                }
                """.formatted(dir));
        nginx = new ProcessBuilder("nginx", "-p", dir.toString(), "-e", dir.resolve("error.log").toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        io.warhorse.it.Deadline.within(Duration.ofSeconds(20), () -> {
            assertTrue(nginx.isAlive(), "nginx exited: " + Files.readString(dir.resolve("nginx.out")));
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy(); // TERM: nginx's fast shutdown
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
            ProcessHandle.current().descendants().filter(process -> process.info().command().orElse("").endsWith("nginx"))
                    .forEach(ProcessHandle::destroyForcibly); // its worker, were the master killed
        }
        for (Warhorse warhorse : new Warhorse[] {first, second}) {
            if (warhorse != null) {
                warhorse.close();
            }
        }
    }

    @Test
    @Order(1)
    void theAppSeesTheForwardedHeadersAndTheUpstreamConnectionIsKeptAlive() throws Exception {
        String answer = exchange("GET /hello/headers HTTP/1.1\r\nHost: shop.example:" + port
                + "\r\nX-Forwarded-For: 203.0.113.7\r\nConnection: close\r\n\r\n", null);
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.contains("x-forwarded-for: 203.0.113.7, 127.0.0.1\n"), answer);
        assertTrue(answer.contains("x-forwarded-proto: http\n"), answer);
        assertTrue(answer.contains("x-forwarded-host: shop.example\n"), answer);
        assertTrue(answer.contains("x-forwarded-port: " + port + "\n"), answer);
        assertTrue(!answer.contains("\nconnection:"), "no Connection header to the upstream: it stays alive\n" + answer);
    }

    @Test
    @Order(2)
    void anUpgradePassesThroughBothWays() throws Exception {
        String answer = exchange("GET /hello/echo-upgrade HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: echo\r\n"
                + "Connection: Upgrade\r\n\r\n", "ping through nginx\n");
        assertTrue(answer.startsWith("HTTP/1.1 101"), answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("upgrade: echo"), answer);
        assertTrue(answer.endsWith("\r\n\r\nping through nginx\n"), "the upgraded connection echoes:\n" + answer);
    }

    @Test
    @Order(3)
    void stoppingOneWarhorseUnderLoadLosesNoRequest() throws Exception {
        long firstWorker = first.workers().getFirst().pid();
        long secondWorker = second.workers().getFirst().pid();
        try (Load load = Load.start(port, "/hello/whoami", 4)) {
            load.awaitMore(200, Duration.ofSeconds(30));
            int from = first.lineCount();
            Warhorse.kill("TERM", first.masterPid());
            first.awaitLine("stopping: readiness now answers 503", from, Duration.ofSeconds(10));
            assertEquals(0, first.awaitExit(Duration.ofSeconds(40)));
            load.awaitMore(200, Duration.ofSeconds(30));
            List<Load.Result> results = load.stop();
            assertEquals(List.of(), Load.failures(results), "requests lost while a warhorse behind nginx stopped");
            Set<Long> served = results.stream().map(Load.Result::pid).collect(Collectors.toSet());
            assertTrue(served.containsAll(Set.of(firstWorker, secondWorker)), "both served before the stop: " + served);
            Set<Long> last = results.subList(results.size() - 50, results.size()).stream().map(Load.Result::pid)
                    .collect(Collectors.toSet());
            assertEquals(Set.of(secondWorker), last, "only the running one serves once the other stopped");
            System.out.printf("nginx: %d requests through nginx, one warhorse stopped with TERM, none lost%n", results.size());
        }
    }

    /** Sends {@code request} to nginx, then {@code after} once the head of the answer is in; returns all it read. */
    private String exchange(String request, String after) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            while (!read.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return read.toString(StandardCharsets.ISO_8859_1);
                }
                read.write(b);
            }
            if (after == null) {
                in.transferTo(read);
                return read.toString(StandardCharsets.ISO_8859_1);
            }
            out.write(after.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] echo = in.readNBytes(after.length());
            read.write(echo);
            return read.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
