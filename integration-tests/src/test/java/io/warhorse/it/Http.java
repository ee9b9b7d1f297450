package io.warhorse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tests' one HTTP helper, with deadlines on everything: the JDK's client ({@link #get(URI)}, {@link #post},
 * {@link #concurrentGets}) and one GET on a connection of its own with {@code Connection: close}
 * ({@link #get(int, String)}), so that each such request is accepted anew by some worker.
 */
public final class Http {

    public static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern PID = Pattern.compile("\"pid\":(\\d+)");
    /** Shared by the tests that build their own requests. */
    public static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public record Response(int status, String body) {
        public long pid() {
            Matcher pid = PID.matcher(body);
            if (!pid.find()) {
                throw new AssertionError("no pid in " + body);
            }
            return Long.parseLong(pid.group(1));
        }
    }

    private Http() {}

    public static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> post(URI uri, String body, String contentType) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code count} GETs at once on fresh client connections and waits for all, bounded by {@code deadline}. */
    public static List<HttpResponse<String>> concurrentGets(URI uri, int count, Duration deadline) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        try (client) {
            List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(client.sendAsync(HttpRequest.newBuilder(uri).timeout(deadline).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .get(deadline.toMillis() + 5000, TimeUnit.MILLISECONDS);
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (var future : futures) {
                responses.add(future.join());
            }
            return responses;
        }
    }

    /** Writes {@code raw} bytes on a new socket and returns the first response line. */
    public static String rawStatusLine(int port, String raw) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString().trim();
        }
    }

    /** The pid of the worker that answers {@code GET /whoami} (asserting 200); for use inside futures, unchecked. */
    public static long whoami(int port) {
        try {
            Response response = get(port, "/whoami");
            assertEquals(200, response.status(), response.body());
            return response.pid();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Response get(int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int headEnd = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 ") || headEnd < 0) {
                throw new IOException("not an HTTP response: '" + response + "'");
            }
            String body = response.substring(headEnd + 4);
            if (response.substring(0, headEnd).toLowerCase().contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            return new Response(Integer.parseInt(response.substring(9, 12)), body);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
