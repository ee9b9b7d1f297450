package io.warhorse.core.master.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.config.HostPort;
import io.warhorse.core.metrics.MasterView;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The admin listener answers HEAD like GET, without a body (monitoring probes send HEAD), and a query that is not
 * valid percent-encoding with 400 (the JDK's server refuses it before warhorse's code sees it).
 */
class AdminHeadTest {

    private static AdminServer start() throws AdminServer.AdminBindException {
        var settings = io.warhorse.core.config.TestSettings.of();
        return AdminServer.start(new HostPort("127.0.0.1", 0), new MasterView(settings.observability().metrics()),
                settings.observability().admin().maxConnections(), settings.http().requestParseTimeout());
    }

    @Test
    void aQueryWithABadPercentEscapeIsAnswered400AndTheListenerServesOn() throws Exception {
        try (AdminServer admin = start()) {
            int port = admin.address().getPort();
            for (String query : new String[] {"?history=%zz", "?history=%", "?a=1&history=1%2"}) {
                assertTrue(raw(port, "/metrics.json" + query).startsWith("HTTP/1.1 400 "), query);
            }
            String fine = raw(port, "/metrics.json?history=%31");
            assertTrue(fine.startsWith("HTTP/1.1 200 ") && fine.contains("\"history\""), "%31 is 1: " + fine);
            assertTrue(raw(port, "/metrics.json?history=%C0%AF").startsWith("HTTP/1.1 200 "), "bad UTF-8 is just not 1");
        }
    }

    /** The answer to one GET sent as raw bytes (the JDK's client refuses to send a malformed query). */
    private static String raw(int port, String target) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void headIsAnsweredLikeGetWithoutABody() throws Exception {
        try (AdminServer admin = start();
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            for (String path : new String[] {"/", "/metrics", "/metrics.json", "/-/healthy"}) {
                URI uri = URI.create("http://127.0.0.1:" + admin.address().getPort() + path);
                HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> head = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, get.statusCode(), path);
                assertEquals(200, head.statusCode(), "HEAD " + path);
                assertEquals("", head.body(), "HEAD " + path);
                assertEquals(get.headers().firstValue("Content-Type"), head.headers().firstValue("Content-Type"), path);
                assertTrue(!get.body().isEmpty(), path);
            }
        }
    }
}
