package io.warhorse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HUP and TERM on a real master serving the chat sample with a BASIC-protected page and a realm file: an open
 * WebSocket gets a 1001 (going away) close from a worker that stops, on HUP as on TERM, and its worker exits
 * without waiting for it (no request is reported cut off, and the exit comes well inside {@code graceful-timeout});
 * HUP re-reads the realm file, so a user added since logs in and a user removed since gets 401.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ContainerSignalsTest {

    /** Long, so that a worker that waited for its WebSockets until the end would miss the bounds below. */
    private static final Duration GRACE = Duration.ofSeconds(60);
    /** A worker stopping with an idle WebSocket open exits within this of its TERM (a bound, not an expectation). */
    private static final Duration EXIT_BOUND = Duration.ofSeconds(40);

    private static final String PROTECTED_WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <security-constraint>
                <web-resource-collection><url-pattern>/secret.txt</url-pattern></web-resource-collection>
                <auth-constraint><role-name>user</role-name></auth-constraint>
              </security-constraint>
              <security-role><role-name>user</role-name></security-role>
              <login-config><auth-method>BASIC</auth-method><realm-name>Chat</realm-name></login-config>
            </web-app>
            """;

    @TempDir
    Path dir;

    @Test
    void hupRereadsTheRealmAndBothHupAndTermCloseWebSocketsWith1001() throws Exception {
        Path realm = Files.writeString(dir.resolve("realm.properties"), "alice: apple, user\n");
        Path config = Files.writeString(dir.resolve("warhorse.conf"), """
                warhorse.security.realm-file = "%s"
                warhorse.security.failed-login-delay = 0s
                """.formatted(realm));
        TestWars.copyWith(Warhorse.war("chat"), dir.resolve("chat.war"),
                Map.of("WEB-INF/web.xml", PROTECTED_WEB_XML, "secret.txt", "the secret\n"));
        try (Warhorse warhorse = Warhorse.serve("container-signals", dir, 1, "-c", config.toString(),
                "--workers", "1", "--bind", "127.0.0.1:0", "--timeout", "5s", "--graceful-timeout",
                GRACE.toSeconds() + "s", "chat.war=/chat");
             HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> challenge = secret(client, warhorse, null, null);
            assertEquals(401, challenge.statusCode());
            assertEquals("Basic realm=\"Chat\"", challenge.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals(200, secret(client, warhorse, "alice", "apple").statusCode());
            assertEquals(401, secret(client, warhorse, "bob", "banana").statusCode());

            long first = warhorse.awaitWorkers(1, Duration.ofSeconds(30)).getFirst().pid();
            Socket before = Socket.open(client, warhorse);
            Files.writeString(realm, "bob: banana, user\n");
            int from = warhorse.lineCount();
            warhorse.signal("HUP");
            assertEquals(1001, before.closeCode(), "the old worker's WebSocket on HUP");
            Warhorse.Line stopped = warhorse.awaitLine("worker " + first + " stopped", from, EXIT_BOUND);
            assertTrue(stopped.text().endsWith("stopped"), "no request cut off by the WebSocket: " + stopped.text());
            warhorse.awaitLine("worker \\d+ \\(pid:" + first + ", generation 1\\) exited with code 0", from,
                    EXIT_BOUND);
            warhorse.awaitLine("reload complete: generation 2 serving", from, Duration.ofSeconds(60));

            assertEquals(200, secret(client, warhorse, "bob", "banana").statusCode(), "added to the realm before HUP");
            assertEquals(401, secret(client, warhorse, "alice", "apple").statusCode(),
                    "removed from the realm before HUP");

            long second = warhorse.awaitWorkers(1, Duration.ofSeconds(30)).getFirst().pid();
            Socket after = Socket.open(client, warhorse);
            from = warhorse.lineCount();
            warhorse.signal("TERM");
            assertEquals(1001, after.closeCode(), "the worker's WebSocket on TERM");
            Warhorse.Line last = warhorse.awaitLine("worker " + second + " stopped", from, EXIT_BOUND);
            assertTrue(last.text().endsWith("stopped"), "no request cut off by the WebSocket: " + last.text());
            assertEquals(0, warhorse.awaitExit(EXIT_BOUND));
        }
    }

    private static HttpResponse<String> secret(HttpClient client, Warhorse warhorse, String user, String password)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(warhorse.uri("/chat/secret.txt"))
                .timeout(Duration.ofSeconds(20));
        if (user != null) {
            byte[] pair = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JDK WebSocket in the chat room that has seen its own message come back; remembers the close code it gets. */
    private record Socket(WebSocket socket, BlockingQueue<String> texts, CompletableFuture<Integer> closed) {

        static Socket open(HttpClient client, Warhorse warhorse) throws Exception {
            BlockingQueue<String> texts = new LinkedBlockingQueue<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket socket = client.newWebSocketBuilder().buildAsync(
                    URI.create("ws://127.0.0.1:" + warhorse.port() + "/chat/room"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            texts.add(data.toString());
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            closed.complete(statusCode);
                            return null;
                        }

                        @Override
                        public void onError(WebSocket webSocket, Throwable error) {
                            closed.completeExceptionally(error);
                        }
                    }).get(20, TimeUnit.SECONDS);
            socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
            String echo = texts.poll(20, TimeUnit.SECONDS);
            assertNotNull(echo, "the chat room's echo");
            assertTrue(echo.endsWith(": hello"), echo);
            return new Socket(socket, texts, closed);
        }

        int closeCode() throws Exception {
            try {
                return closed.get(EXIT_BOUND.toSeconds(), TimeUnit.SECONDS);
            } finally {
                socket.abort();
            }
        }
    }
}
