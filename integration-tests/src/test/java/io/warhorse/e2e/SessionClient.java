package io.warhorse.e2e;

import io.warhorse.it.Http;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One user of the session-counter app: keeps its session cookie (COUNTER_SID) as a browser would, and sends each
 * request on a connection of its own ({@code Connection: close}), so that any worker (or host) may answer it. Used
 * from the test's thread only.
 */
final class SessionClient {

    static final String COOKIE = "COUNTER_SID";
    private static final Pattern SET_COOKIE = Pattern.compile("(?im)^Set-Cookie: " + COOKIE + "=([^;\\r\\n]*)([^\\r\\n]*)");
    private static final Pattern PID = Pattern.compile("pid=(\\d+)");
    private static final Pattern COUNT = Pattern.compile("count=(\\d+)");

    record Response(int status, String head, String body) {
        long pid() {
            Matcher pid = PID.matcher(body);
            if (!pid.find()) {
                throw new AssertionError("no pid in '" + body + "'");
            }
            return Long.parseLong(pid.group(1));
        }

        int count() {
            Matcher count = COUNT.matcher(body);
            if (!count.find()) {
                throw new AssertionError("no count in " + status + " '" + body + "'");
            }
            return Integer.parseInt(count.group(1));
        }
    }

    private final int port;
    private String session;
    private String cookieAttributes = "";

    SessionClient(int port) {
        this.port = port;
    }

    /** A client that presents {@code session} as its cookie, as a second tab or a replayed cookie would. */
    static SessionClient with(int port, String session) {
        SessionClient client = new SessionClient(port);
        client.session = session;
        return client;
    }

    String session() {
        return session;
    }

    /** What followed the cookie's value in the last Set-Cookie: "; path=/session-counter; HttpOnly". */
    String cookieAttributes() {
        return cookieAttributes;
    }

    Response get(String path) throws IOException {
        return send("GET", path);
    }

    Response post(String path) throws IOException {
        return send("POST", path);
    }

    private Response send(String method, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) Http.TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            String cookie = session == null ? "" : "Cookie: " + COOKIE + "=" + session + "\r\n";
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + cookie
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return parse(readAll(socket.getInputStream()));
        }
    }

    private Response parse(String response) throws IOException {
        int headEnd = response.indexOf("\r\n\r\n");
        if (!response.startsWith("HTTP/1.1 ") || headEnd < 0) {
            throw new IOException("not an HTTP response: '" + response + "'");
        }
        String head = response.substring(0, headEnd);
        Matcher cookie = SET_COOKIE.matcher(head);
        while (cookie.find()) {
            boolean cleared = cookie.group(2).toLowerCase().contains("max-age=0");
            session = cleared ? null : cookie.group(1);
            cookieAttributes = cookie.group(2);
        }
        return new Response(Integer.parseInt(response.substring(9, 12)), head, response.substring(headEnd + 4));
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
