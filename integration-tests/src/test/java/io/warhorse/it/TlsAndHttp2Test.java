package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.testing.RunningWorker;
import io.warhorse.core.testing.TestCerts;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS from PEM files and HTTP/2 on every kind, driven by the real tools: curl over HTTP/1.1 and h2 (ALPN), with
 * and without a client certificate, openssl s_client for the certificate served and ALPN, nghttp for the
 * SETTINGS the server sends, and h2load for many streams at once; the health endpoints and the request counter
 * see h2 requests as they see HTTP/1.1 ones. h2c (Upgrade and prior knowledge) only when enabled.
 */
class TlsAndHttp2Test {

    @TempDir
    static Path dir;
    static TestCerts certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCerts.in(dir);
        certs.ecServer("server", 20); // SEC1 EC key, chain of leaf + intermediate; clients trust only ca.pem
    }

    private static RunningWorker tlsWorker(String kind) throws Exception {
        return RunningWorker.start(Wars.settings(kind, List.of(app("hello")),
                "warhorse.tls.certfile", certs.file("server.pem").toString(), "warhorse.tls.keyfile", certs.file("server.key").toString(),
                "warhorse.tls.ca-certs", certs.file("ca.pem").toString(), "warhorse.tls.cert-reqs", "optional",
                "warhorse.http2.max-concurrent-streams", "50",
                // h2load's 80 streams on one route: the sync kind's whole worker, not one route's share (16 + 64)
                "warhorse.limits.route-share", "1"));
    }

    private static Tool curl(RunningWorker worker, String... options) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert", certs.file("ca.pem").toString()));
        command.addAll(List.of(options));
        Tool curl = Tool.run(30, command.toArray(String[]::new));
        assertEquals(0, curl.exit(), curl.output());
        return curl;
    }

    private static String https(RunningWorker worker, String path) {
        return "https://127.0.0.1:" + worker.port() + path;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "virtual", "async"})
    void servesHttp11AndH2OverTlsWithClientCertificates(String kind) throws Exception {
        try (RunningWorker worker = tlsWorker(kind)) {
            String h1 = curl(worker, "--http1.1", https(worker, "/hello/request")).output();
            assertTrue(h1.contains("scheme=https\nsecure=true\n") && h1.contains("protocol=HTTP/1.1\n"), h1);
            assertTrue(h1.contains("client-cert=-\n"), h1);
            String h2 = curl(worker, "--http2", "--cert", certs.file("client.pem").toString(), "--key",
                    certs.file("client.key").toString(), https(worker, "/hello/request")).output();
            assertTrue(h2.contains("protocol=HTTP/2.0\n") && h2.contains("client-cert=CN=alice\n"), h2);
            assertEquals("200", curl(worker, "--http2", "-o", "/dev/null", "-w", "%{http_code}", https(worker, "/-/healthy")).output());

            Tool handshake = Tool.withInput(30, "", "openssl", "s_client", "-connect", "127.0.0.1:" + worker.port(),
                    "-alpn", "h2", "-CAfile", certs.file("ca.pem").toString(), "-servername", "localhost");
            assertTrue(handshake.output().contains("ALPN protocol: h2"), handshake.output());
            assertTrue(handshake.output().contains("Verify return code: 0 (ok)"), "chain with its intermediate: " + handshake.output());
            assertTrue(handshake.output().contains("subject=CN = server"), handshake.output());

            long before = worker.metrics().counter("requests.total").getCount();
            Tool load = Tool.run(120, "h2load", "-n", "400", "-c", "4", "-m", "20", https(worker, "/hello/hello"));
            assertTrue(load.output().contains("400 succeeded, 0 failed") && load.output().contains("status codes: 400 2xx"), load.output());
            // a request is counted when its exchange completes, which over h2 can follow the last frame h2load read
            var total = worker.metrics().counter("requests.total");
            Deadline.within(java.time.Duration.ofSeconds(10), () -> total.getCount() >= before + 400);
            assertEquals(before + 400, total.getCount(), "h2 requests are counted, each once");
        }
    }

    @Test
    void h2AnnouncesItsLimitsAndTlsOffersOnlyModernVersions() throws Exception {
        try (RunningWorker worker = tlsWorker("virtual")) {
            Tool nghttp = Tool.run(30, "nghttp", "-v", "-n", https(worker, "/hello/hello"));
            assertTrue(nghttp.output().contains("SETTINGS_MAX_CONCURRENT_STREAMS(0x03):50"), nghttp.output());
            assertTrue(nghttp.output().contains("SETTINGS_MAX_HEADER_LIST_SIZE(0x06):65536"), nghttp.output());
            Tool tls11 = Tool.withInput(30, "", "openssl", "s_client", "-connect", "127.0.0.1:" + worker.port(), "-tls1_1");
            assertTrue(tls11.output().contains("alert protocol version"), "TLS 1.1 refused: " + tls11.output());
        }
    }

    /**
     * A request over a limit gets 400 or 431 over h2 as over HTTP/1.1: never 200 with part of it dropped, never 500,
     * never a reset stream, also when the block is cut into CONTINUATION frames (5,000 cookies in one field), and when
     * it has more than 127 fields of one name, which Undertow 2.3.26's header map cannot hold (it failed the
     * connection). Cookies sent a field each, as browsers do over h2, reach the app whole.
     */
    @Test
    void tooManyCookiesHeadersOrParametersOverH2Get400Or431() throws Exception {
        try (RunningWorker worker = tlsWorker("virtual")) {
            String url = https(worker, "/hello/request");
            String cookies = String.join("; ", IntStream.range(0, 2000).mapToObj(i -> "c" + i + "=v").toList());
            assertEquals("400", status(worker, url, "-H", "Cookie: " + cookies), "2,000 cookies in one field");
            String more = String.join("; ", IntStream.range(0, 5000).mapToObj(i -> "c" + i + "=v").toList());
            assertEquals("400", status(worker, url, "-H", "Cookie: " + more), "5,000 cookies in one field (CONTINUATION frames)");
            List<String> split = new java.util.ArrayList<>();
            IntStream.range(0, 100).forEach(i -> split.addAll(List.of("-H", "Cookie: a" + i + "=v; b" + i + "=v; c" + i + "=v")));
            assertEquals("400", status(worker, url, split.toArray(String[]::new)), "300 cookies in 100 fields");
            List<String> fields = new java.util.ArrayList<>();
            IntStream.range(0, 300).forEach(i -> fields.addAll(List.of("-H", "X-Field-" + i + ": v")));
            assertEquals("431", status(worker, url, fields.toArray(String[]::new)), "300 header fields (max-headers 200)");
            List<String> sameName = new java.util.ArrayList<>();
            IntStream.range(0, 150).forEach(i -> sameName.addAll(List.of("-H", "X-Same: " + i)));
            assertEquals("431", status(worker, url, sameName.toArray(String[]::new)), "150 fields of one name");
            List<String> crumbs = new java.util.ArrayList<>();
            IntStream.range(0, 150).forEach(i -> crumbs.addAll(List.of("-H", "Cookie: c" + i + "=v")));
            crumbs.addAll(List.of("--http2", url));
            String browserLike = curl(worker, crumbs.toArray(String[]::new)).output();
            assertTrue(browserLike.contains("cookies=150\n"), "150 cookies in a field each, as browsers send them: " + browserLike);
            String parameters = String.join("&", IntStream.range(0, 2000).mapToObj(i -> "p" + i + "=v").toList());
            assertEquals("400", status(worker, url + "?" + parameters), "2,000 query parameters (max-parameters 1000)");
            String form = String.join("&", IntStream.range(0, 5000).mapToObj(i -> "p" + i + "=v").toList());
            assertEquals("400", status(worker, url, "--data", form), "5,000 form parameters the app reads");
            assertEquals("200", status(worker, url + "?a=1", "-H", "Cookie: a=1"), "the connection's worker still serves");
        }
    }

    private static String status(RunningWorker worker, String url, String... options) throws Exception {
        List<String> arguments = new java.util.ArrayList<>(List.of("--http2", "-o", "/dev/null", "-w", "%{http_code}"));
        arguments.addAll(List.of(options));
        arguments.add(url);
        return curl(worker, arguments.toArray(String[]::new)).output();
    }

    @Test
    void h2cByUpgradeAndPriorKnowledgeOnlyWhenEnabled() throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings("virtual", List.of(app("hello")), "warhorse.http2.h2c", "true"))) {
            String url = "http://127.0.0.1:" + worker.port() + "/hello/request";
            assertTrue(curl(worker, "--http2", url).output().contains("protocol=HTTP/2.0\n"), "Upgrade: h2c");
            assertTrue(curl(worker, "--http2-prior-knowledge", url).output().contains("protocol=HTTP/2.0\n"), "prior knowledge");
            Tool load = Tool.run(120, "h2load", "-n", "200", "-c", "2", "-m", "10", "http://127.0.0.1:" + worker.port() + "/hello/hello");
            assertTrue(load.output().contains("200 succeeded, 0 failed"), load.output());
        }
        try (RunningWorker worker = RunningWorker.start(Wars.settings("virtual", List.of(app("hello"))))) {
            String url = "http://127.0.0.1:" + worker.port() + "/hello/request";
            assertTrue(curl(worker, "--http2", url).output().contains("protocol=HTTP/1.1\n"), "the upgrade is declined");
            Tool prior = Tool.run(30, "curl", "-sS", "--max-time", "20", "--http2-prior-knowledge", url);
            assertNotEquals(0, prior.exit(), prior.output());
        }
    }

    /**
     * A header block cut into HEADERS and CONTINUATION frames, as clients cut any block over 16 KiB, reaches the
     * app whole, however late the CONTINUATION comes: the request waits for it instead of running without its
     * fields (Undertow 2.3.26 ran it at once, and the fields still to come were lost). Its limits apply to the whole
     * block, and the stream ends with the block, so it does not keep a place among the connection's two concurrent
     * streams: three such requests one after another are all served.
     */
    @Test
    void aHeaderBlockCutIntoContinuationFramesIsAwaitedWhole() throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings("virtual", List.of(app("hello")),
                "warhorse.http2.h2c", "true", "warhorse.http2.max-concurrent-streams", "2"));
             RawH2 h2 = new RawH2(worker.port())) {
            String big = "a".repeat(20_000);
            for (int stream = 1; stream <= 5; stream += 2) {
                byte[] block = RawH2.block("/hello/headers", "x-before", "1", "x-big", big, "x-after", "2");
                sendCut(h2, stream, block);
                RawH2.Response response = h2.response(stream, 20_000);
                assertEquals(200, response.status(), "stream " + stream);
                assertTrue(response.body().contains("x-big: " + big + "\n") && response.body().contains("x-after: 2\n"),
                        "stream " + stream + ": " + response.body().substring(0, Math.min(300, response.body().length())));
            }
            String cookies = String.join("; ", IntStream.range(0, 3000).mapToObj(i -> "c" + i + "=v").toList());
            sendCut(h2, 7, RawH2.block("/hello/request", "cookie", cookies));
            assertEquals(400, h2.response(7, 20_000).status(), "3,000 cookies, most of them in the CONTINUATION");
            h2.frame(RawH2.HEADERS, RawH2.END_STREAM | RawH2.END_HEADERS, 9, RawH2.block("/hello/request",
                    IntStream.range(0, 150).boxed().flatMap(i -> java.util.stream.Stream.of("x-same", "v" + i)).toArray(String[]::new)));
            assertEquals(431, h2.response(9, 20_000).status(), "150 fields of one name, over h2c");
        }
        try (RunningWorker worker = RunningWorker.start(Wars.settings("virtual", List.of(app("hello")), "warhorse.http2.h2c", "true"));
             RawH2 h2 = new RawH2(worker.port())) {
            h2.frame(RawH2.HEADERS, RawH2.END_STREAM | RawH2.END_HEADERS, 1, RawH2.block("/hello/hello"));
            assertEquals(200, h2.response(1, 20_000).status(), "the connection's first request");
            h2.frame(RawH2.HEADERS, RawH2.END_STREAM | RawH2.END_HEADERS, 3, RawH2.block("/hello/request",
                    IntStream.range(0, 300).boxed().flatMap(i -> java.util.stream.Stream.of("x-field-" + i, "v")).toArray(String[]::new)));
            assertEquals(431, h2.response(3, 20_000).status(), "300 fields (max-headers 200) over h2c: 431, not a reset stream");
            try (RawH2 fresh = new RawH2(worker.port())) {
                fresh.frame(RawH2.HEADERS, RawH2.END_STREAM | RawH2.END_HEADERS, 1, RawH2.block("/hello/request",
                        IntStream.range(0, 150).boxed().flatMap(i -> java.util.stream.Stream.of("x-same", "v" + i)).toArray(String[]::new)));
                assertEquals(431, fresh.response(1, 20_000).status(), "150 fields of one name in a prior-knowledge connection's first request");
                fresh.frame(RawH2.HEADERS, RawH2.END_STREAM | RawH2.END_HEADERS, 3, RawH2.block("/hello/hello"));
                assertEquals(200, fresh.response(3, 20_000).status(), "the same connection's next request");
            }
        }
    }

    /**
     * A CONTINUATION frame that arrives in pieces: Undertow forgets the header block's parser as soon as it has read
     * the head of the frame that ends the block, while the fields in its payload are still to come, so the request
     * must still wait for them (it ran with only the first frame's fields, and when the rest of the frame came for a
     * stream already closed, Undertow sent a GOAWAY). Each cut is a request after one cut at the frame boundary (the
     * fault showed on the request after such a one), all on one connection.
     */
    @Test
    void aContinuationFrameReadInPiecesIsAwaitedWhole() throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings("virtual", List.of(app("hello")), "warhorse.http2.h2c", "true"));
             RawH2 h2 = new RawH2(worker.port())) {
            String big = "b".repeat(20_000);
            byte[] block = RawH2.block("/hello/headers", "x-before", "1", "x-big", big, "x-after", "2");
            byte[] rest = java.util.Arrays.copyOfRange(block, 16_000, block.length);
            sendCut(h2, 1, block);
            assertEquals(200, h2.response(1, 20_000).status(), "the connection's first request");
            int stream = 3;
            for (int cut : new int[] {5, 9, 9 + 100, 9 + rest.length - 12, 9 + rest.length - 1}) {
                h2.frame(RawH2.HEADERS, RawH2.END_STREAM, stream, java.util.Arrays.copyOfRange(block, 0, 16_000));
                h2.framePart(RawH2.CONTINUATION, RawH2.END_HEADERS, stream, rest, 0, cut);
                String early = h2.sentOn(stream, 300);
                assertNull(early, "cut at " + cut + ": answered with part of the CONTINUATION frame still to come: " + early);
                h2.framePart(RawH2.CONTINUATION, RawH2.END_HEADERS, stream, rest, cut, 9 + rest.length);
                RawH2.Response response = h2.response(stream, 20_000);
                assertEquals(200, response.status(), "cut at " + cut);
                assertTrue(response.body().contains("x-big: " + big + "\n") && response.body().contains("x-after: 2\n"),
                        "cut at " + cut + ": " + response.body().substring(0, Math.min(300, response.body().length())));
                sendCut(h2, stream + 2, block);
                assertEquals(200, h2.response(stream + 2, 20_000).status(), "the request after the cut at " + cut);
                stream += 4;
            }
        }
    }

    /** Sends the first 16,000 bytes of {@code block} in a HEADERS frame, and the rest only once the server had time to act. */
    private static void sendCut(RawH2 h2, int stream, byte[] block) throws Exception {
        h2.frame(RawH2.HEADERS, RawH2.END_STREAM, stream, java.util.Arrays.copyOfRange(block, 0, 16_000));
        String early = h2.sentOn(stream, 300);
        assertNull(early, "stream " + stream + " was answered before its header block was complete: " + early);
        h2.frame(RawH2.CONTINUATION, RawH2.END_HEADERS, stream, java.util.Arrays.copyOfRange(block, 16_000, block.length));
    }
}
