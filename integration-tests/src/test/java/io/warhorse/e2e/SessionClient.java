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
    private static final Pattern SET_COOKIE = setCookie(COOKIE);
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
    private final String cookieName;
    private final Pattern setCookie;
    private String session;
    private String cookieAttributes = "";

    SessionClient(int port) {
        this(port, COOKIE);
    }

    /** A client of an app whose session cookie is {@code cookieName} (the servlet default is JSESSIONID). */
    SessionClient(int port, String cookieName) {
        this.port = port;
        this.cookieName = cookieName;
        this.setCookie = cookieName.equals(COOKIE) ? SET_COOKIE : setCookie(cookieName);
    }

    private static Pattern setCookie(String name) {
        return Pattern.compile("(?im)^Set-Cookie: " + Pattern.quote(name) + "=([^;\\r\\n]*)([^\\r\\n]*)");
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

    /** POST of an HTML form, {@code form} already URL-encoded ("a=1&b=2"). */
    Response postForm(String path, String form) throws IOException {
        return send("POST", path, "Content-Type: application/x-www-form-urlencoded\r\n", form);
    }

    private Response send(String method, String path) throws IOException {
        return send(method, path, "", "");
    }

    private Response send(String method, String path, String headers, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) Http.TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            String cookie = session == null ? "" : "Cookie: " + cookieName + "=" + session + "\r\n";
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + cookie + headers
                    + "Content-Length: " + content.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
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
        Matcher cookie = setCookie.matcher(head);
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
