package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.testing.RunningWorker;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PROXY protocol on the app port, through Undertow's ProxyProtocolOpenListener: v1 as curl sends it, v2 as a
 * real HAProxy sends it (send-proxy-v2), read only from allowed peers.
 */
class ProxyProtocolTest {

    @TempDir
    Path dir;

    @Test
    void curlsV1HeaderGivesTheClientsAddress() throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings("virtual", List.of(app("hello")),
                "warhorse.proxy-protocol.enabled", "true", "warhorse.proxy-protocol.allow-from", "127.0.0.0/8"))) {
            // curl 7.88 names its own source address in the header; a plain worker would answer its PROXY line 400
            Tool curl = Tool.run(30, "curl", "-sS", "--haproxy-protocol", "--interface", "127.0.0.2",
                    "http://127.0.0.1:" + worker.port() + "/hello/request");
            assertEquals(0, curl.exit(), curl.output());
            assertTrue(curl.output().contains("remote-addr=127.0.0.2\n"), curl.output());
        }
    }

    @Test
    void haproxysV2HeaderGivesTheClientsAddress() throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings("sync", List.of(app("hello")),
                "warhorse.proxy-protocol.enabled", "true", "warhorse.proxy-protocol.allow-from", "127.0.0.0/8"))) {
            int front = freePort();
            Path config = dir.resolve("haproxy.cfg");
            Files.writeString(config, """
                    global
                      maxconn 100
                    defaults
                      mode tcp
                      timeout connect 5s
                      timeout client 30s
                      timeout server 30s
                    frontend front
                      bind 127.0.0.1:%d
                      default_backend warhorse
                    backend warhorse
                      server w 127.0.0.1:%d send-proxy-v2
                    """.formatted(front, worker.port()));
            Process haproxy = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
            try {
                Tool curl = Tool.untilSuccess(30, "curl", "-sS", "--interface", "127.0.0.3",
                        "http://127.0.0.1:" + front + "/hello/request");
                assertTrue(curl.output().contains("remote-addr=127.0.0.3\n"), curl.output() + Files.readString(dir.resolve("haproxy.log")));
            } finally {
                haproxy.destroy();
                if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
                    haproxy.destroyForcibly();
                }
            }
        }
    }

    @Test
    void aPeerNotAllowedIsServedPlainAndItsProxyHeaderRefused() throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings("async", List.of(app("hello")),
                "warhorse.proxy-protocol.enabled", "true", "warhorse.proxy-protocol.allow-from", "10.0.0.0/8"))) {
            assertEquals("HTTP/1.1 400 Bad Request", Http.rawStatusLine(worker.port(),
                    "PROXY TCP4 203.0.113.9 127.0.0.1 5555 80\r\nGET /hello/request HTTP/1.1\r\nHost: a\r\n\r\n"));
            String body = Http.get(worker.uri("/hello/request")).body();
            assertTrue(body.contains("remote-addr=127.0.0.1\n"), body);
        }
    }

    /**
     * A trusted proxy that forwards an h2c prior-knowledge connection (PROXY header, then the preface) gets the
     * field limits a direct one gets: 150 fields of one name in its first request are 431, and the connection serves
     * on (without the watches beneath a PROXY connection, Undertow failed the whole connection).
     */
    @Test
    void h2cPriorKnowledgeBehindAProxyHasTheSameFieldLimits() throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings("virtual", List.of(app("hello")),
                "warhorse.http2.h2c", "true", "warhorse.proxy-protocol.enabled", "true",
                "warhorse.proxy-protocol.allow-from", "127.0.0.0/8"));
             RawH2 h2 = new RawH2(worker.port(), "PROXY TCP4 203.0.113.9 127.0.0.1 5555 80\r\n")) {
            h2.frame(RawH2.HEADERS, RawH2.END_STREAM | RawH2.END_HEADERS, 1, RawH2.block("/hello/request",
                    IntStream.range(0, 150).boxed().flatMap(i -> Stream.of("x-same", "v" + i)).toArray(String[]::new)));
            assertEquals(431, h2.response(1, 20_000).status(), "150 fields of one name in the first request");
            h2.frame(RawH2.HEADERS, RawH2.END_STREAM | RawH2.END_HEADERS, 3, RawH2.block("/hello/request"));
            RawH2.Response next = h2.response(3, 20_000);
            assertEquals(200, next.status(), "the same connection's next request");
            assertTrue(next.body().contains("remote-addr=203.0.113.9\n"), next.body());
        }
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
