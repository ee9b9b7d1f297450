package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.testing.RunningWorker;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A trusted proxy's forwarded headers reach the app as the client's view (RemoteIpValve's rules): remote address,
 * scheme, secure, server name and port, and the absolute redirects the container builds from them.
 */
class ForwardedHeadersTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(RunningWorker worker, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(worker.uri(path)).timeout(Http.TIMEOUT);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void fromATrustedProxyTheAppSeesTheClientsAddressSchemeAndHost() throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings("virtual", List.of(app("hello")),
                "warhorse.forwarded.trusted-proxies", "127.0.0.0/8"))) {
            String[] proxied = {"X-Forwarded-For", "203.0.113.5, 198.51.100.7", "X-Forwarded-Proto", "https",
                    "X-Forwarded-Host", "shop.example"};
            String body = get(worker, "/hello/request", proxied).body();
            assertTrue(body.contains("remote-addr=198.51.100.7\n"), body);
            assertTrue(body.contains("scheme=https\nsecure=true\n"), body);
            assertTrue(body.contains("server-name=shop.example\nserver-port=443\n"), body);
            HttpResponse<String> redirect = get(worker, "/hello/request?redirect", proxied);
            assertEquals(302, redirect.statusCode());
            assertEquals("https://shop.example/hello/hello", redirect.headers().firstValue("Location").orElseThrow());
            String rfc7239 = get(worker, "/hello/request", "Forwarded", "for=192.0.2.60;proto=https;host=\"a.example:8443\"").body();
            assertTrue(rfc7239.contains("scheme=https\nsecure=true\nremote-addr=192.0.2.60\nserver-name=a.example\nserver-port=8443\n"), rfc7239);
        }
    }

    @Test
    void fromAnyOtherPeerTheHeadersAreIgnored() throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings("virtual", List.of(app("hello")),
                "warhorse.forwarded.trusted-proxies", "10.0.0.0/8"))) {
            String body = get(worker, "/hello/request", "X-Forwarded-For", "198.51.100.7", "X-Forwarded-Proto", "https",
                    "X-Forwarded-Host", "shop.example").body();
            assertTrue(body.contains("scheme=http\nsecure=false\nremote-addr=127.0.0.1\nserver-name=127.0.0.1\nserver-port="
                    + worker.port() + "\n"), body);
        }
    }
}
