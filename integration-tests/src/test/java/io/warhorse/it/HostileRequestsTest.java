package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.warhorse.core.testing.RunningWorker;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of hostile requests (src/test/resources/hostile, one fixture per file) on every worker kind, and once
 * more from behind a trusted proxy (a virtual worker with the PROXY protocol on; each fixture's bytes follow a PROXY
 * v1 header, as a load balancer would forward them): each gets the answers its fixture names, its connection closes
 * or stays usable as the fixture says, and a fresh connection is served 200 afterwards. One worker per kind serves
 * every case.
 */
class HostileRequestsTest {

    /** The fourth "kind": a virtual worker behind a trusted PROXY-protocol proxy. */
    private static final String BEHIND_PROXY = "virtual-behind-proxy";
    private static final String PROXY_LINE = "PROXY TCP4 203.0.113.9 127.0.0.1 5555 80\r\n";

    private static final Map<String, RunningWorker> WORKERS = new ConcurrentHashMap<>();

    static Stream<Arguments> cases() throws IOException, URISyntaxException {
        Path folder = Path.of(HostileRequestsTest.class.getResource("/hostile").toURI());
        List<HostileRequest> fixtures = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().equals("README.txt")).sorted().toList()) {
                fixtures.add(HostileRequest.read(file));
            }
        }
        return Stream.of("sync", "virtual", "async", BEHIND_PROXY)
                .flatMap(kind -> fixtures.stream().map(fixture -> Arguments.of(kind, fixture)));
    }

    @AfterAll
    static void stopWorkers() {
        WORKERS.values().forEach(RunningWorker::close);
        WORKERS.clear();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void answeredAsTheFixtureSaysAndTheWorkerGoesOn(String kind, HostileRequest fixture) throws Exception {
        RunningWorker worker = worker(kind);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", worker.port()), 5_000);
            socket.setSoTimeout(10_000);
            if (kind.equals(BEHIND_PROXY)) {
                socket.getOutputStream().write(PROXY_LINE.getBytes(StandardCharsets.US_ASCII));
            }
            socket.getOutputStream().write(fixture.bytes());
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < fixture.statuses().size(); i++) {
                Response response = Response.read(in);
                assertTrue(fixture.accepts(i, response.status()), fixture + ": answer " + i + " was " + response.status()
                        + ", expected " + fixture.statuses().get(i) + "\n" + response.head());
                if (i == 0) {
                    checkHeaders(fixture, response);
                }
                if (response.status().equals("none")) {
                    break;
                }
            }
            switch (fixture.after()) {
                case "close" -> assertClosed(fixture, in);
                case "keep" -> {
                    socket.getOutputStream().write("GET /hello/hello HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertEquals("200", Response.read(in).status(), fixture + ": the connection should still serve");
                }
                default -> { }
            }
        }
        if (kind.equals(BEHIND_PROXY)) { // from an allowed peer, only a connection with a PROXY header is served
            assertEquals("HTTP/1.1 200 OK", Http.rawStatusLine(worker.port(), PROXY_LINE
                    + "GET /hello/hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), fixture + ": the worker should still serve");
        } else {
            assertEquals(200, Http.get(worker.uri("/hello/hello")).statusCode(), fixture + ": the worker should still serve");
        }
    }

    private static void checkHeaders(HostileRequest fixture, Response response) {
        if (fixture.header() != null) {
            assertTrue(response.head().contains(fixture.header()), fixture + ": no header " + fixture.header() + " in\n" + response.head());
        }
        if (fixture.absentHeader() != null) {
            assertFalse(response.head().toLowerCase().contains("\r\n" + fixture.absentHeader().toLowerCase() + ":"),
                    fixture + ": header " + fixture.absentHeader() + " must not be sent\n" + response.head());
        }
    }

    /** Nothing more may come: no second answer smuggled in, then the end of the stream. */
    private static void assertClosed(HostileRequest fixture, InputStream in) throws IOException {
        try {
            byte[] rest = in.readAllBytes();
            assertEquals("", new String(rest, StandardCharsets.ISO_8859_1), fixture + ": bytes after the expected answers");
        } catch (SocketTimeoutException e) {
            fail(fixture + ": the connection should have been closed");
        } catch (java.net.SocketException e) {
            // reset by the server after it closed: closed too
        }
    }

    private static RunningWorker worker(String kind) {
        return WORKERS.computeIfAbsent(kind, name -> {
            try {
                return RunningWorker.start(name.equals(BEHIND_PROXY)
                        ? Wars.settings("virtual", List.of(app("hello")), "warhorse.proxy-protocol.enabled", "true",
                                "warhorse.proxy-protocol.allow-from", "127.0.0.0/8")
                        : Wars.settings(name, List.of(app("hello"))));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start a " + name + " worker", e);
            }
        });
    }
}
