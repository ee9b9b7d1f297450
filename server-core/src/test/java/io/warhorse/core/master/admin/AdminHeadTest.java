package io.warhorse.core.master.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.config.HostPort;
import io.warhorse.core.metrics.MasterView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The admin listener answers HEAD like GET, without a body (monitoring probes send HEAD). */
class AdminHeadTest {

    @Test
    void headIsAnsweredLikeGetWithoutABody() throws Exception {
        var settings = io.warhorse.core.config.TestSettings.of();
        try (AdminServer admin = AdminServer.start(new HostPort("127.0.0.1", 0), new MasterView(settings.observability().metrics()),
                settings.observability().admin().maxConnections(), settings.http().requestParseTimeout());
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
