package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.testing.RunningWorker;
import io.warhorse.core.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real nginx in front, terminating TLS and proxying plain HTTP with X-Forwarded-For and X-Forwarded-Proto, as
 * most deployments do: the app sees https, the client's address (127.0.0.4 here, not nginx's 127.0.0.1), and the
 * redirect it builds is https:// on nginx's host and port.
 */
class NginxInFrontTest {

    @TempDir
    Path dir;

    @Test
    void theAppSeesTheClientsSchemeAndAddressAndRedirectsToHttps() throws Exception {
        TestCerts certs = TestCerts.in(dir);
        certs.rsaServer("front", 50);
        try (RunningWorker worker = RunningWorker.start(Wars.settings("virtual", List.of(app("hello")),
                "warhorse.forwarded.trusted-proxies", "127.0.0.1"))) {
            int port = ProxyProtocolTest.freePort();
            Files.createDirectories(dir.resolve("logs"));
            Files.writeString(dir.resolve("nginx.conf"), """
                    daemon off;
                    master_process off;
                    pid %1$s/nginx.pid;
                    error_log %1$s/logs/error.log;
                    events { worker_connections 64; }
                    http {
                      access_log off;
                      client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fastcgi;
                      uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
                      server {
                        listen 127.0.0.1:%2$d ssl;
                        ssl_certificate %1$s/front.pem;
                        ssl_certificate_key %1$s/front.key;
                        location / {
                          proxy_pass http://127.0.0.1:%3$d;
                          proxy_set_header Host $http_host;
                          proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                          proxy_set_header X-Forwarded-Proto $scheme;
                        }
                      }
                    }
                    """.formatted(dir, port, worker.port()));
            Process nginx = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("logs/nginx.out").toFile()).start();
            try {
                String url = "https://127.0.0.1:" + port + "/hello/request";
                Tool page = Tool.untilSuccess(30, "curl", "-sS", "--cacert", certs.file("ca.pem").toString(), "--interface", "127.0.0.4", url);
                assertTrue(page.output().contains("scheme=https\nsecure=true\nremote-addr=127.0.0.4\nserver-name=127.0.0.1\nserver-port="
                        + port + "\n"), page.output());
                Tool redirect = Tool.run(30, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
                        "--cacert", certs.file("ca.pem").toString(), url + "?redirect");
                assertEquals("302 https://127.0.0.1:" + port + "/hello/hello", redirect.output());
            } finally {
                nginx.destroy();
                if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                    nginx.destroyForcibly();
                }
            }
        }
    }
}
