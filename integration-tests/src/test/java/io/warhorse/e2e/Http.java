package io.warhorse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One GET on a connection of its own ({@code Connection: close}), so each request is accepted anew by some worker. */
final class Http {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern PID = Pattern.compile("\"pid\":(\\d+)");

    record Response(int status, String body) {
        long pid() {
            Matcher pid = PID.matcher(body);
            if (!pid.find()) {
                throw new AssertionError("no pid in " + body);
            }
            return Long.parseLong(pid.group(1));
        }
    }

    private Http() {}

    /** The pid of the worker that answers {@code GET /whoami} (asserting 200); for use inside futures, unchecked. */
    static long whoami(int port) {
        try {
            Response response = get(port, "/whoami");
            assertEquals(200, response.status(), response.body());
            return response.pid();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Response get(int port, String path) throws IOException {
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
