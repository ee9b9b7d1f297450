package io.warhorse.e2e;

import io.warhorse.it.Deadline;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Continuous load: {@code clients} threads, each sending GETs one after the other (a 5 ms pause between two) on
 * a kept-alive HTTP/1.1 connection of its own, reconnecting only when the server said {@code Connection: close}
 * or the connection failed. It never re-sends a request: a refused, reset or cut connection is a failed request,
 * even one on a kept-alive connection that broke before any byte of the answer (where a browser would retry).
 * Every request is recorded with its times, its connection and its outcome.
 */
final class Load implements AutoCloseable {

    private static final Pattern PID = Pattern.compile("\"pid\":(\\d+)");
    private static final Duration PAUSE = Duration.ofMillis(5);
    private static final int SO_TIMEOUT_MILLIS = 15_000;

    /**
     * One request. {@code status} is -1 when it failed with {@code error}; {@code pid} is the serving worker's when
     * the body is a /whoami answer; {@code connection} numbers the client's connections, {@code connectionOpenedNanos}
     * is when that connection was made and {@code connectionPid} the pid that last answered on it (0: none yet).
     */
    record Result(int client, int connection, long connectionOpenedNanos, long connectionPid, long startNanos,
                  long endNanos, int status, long pid, Exception error) {
        boolean ok() {
            return status == 200;
        }

        @Override
        public String toString() {
            return "client " + client + " connection " + connection + " (last answered by pid " + connectionPid + ") status "
                    + status + (error != null ? " " + error : "") + (pid != 0 ? " pid " + pid : "");
        }
    }

    private final String host;
    private final int port;
    private final String path;
    private final List<Result> results = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    private Load(int port, String path) {
        this.host = "127.0.0.1";
        this.port = port;
        this.path = path;
    }

    static Load start(int port, String path, int clients) {
        Load load = new Load(port, path);
        for (int i = 0; i < clients; i++) {
            int client = i;
            load.threads.add(Thread.ofPlatform().daemon().name("load-" + i).start(() -> load.run(client)));
        }
        return load;
    }

    /** One client's loop; the connection's state lives here, on the client's thread. */
    private void run(int client) {
        Connection open = null;
        int connection = 0;
        long openedNanos = 0;
        long connectionPid = 0;
        while (!stopping) {
            long start = System.nanoTime();
            Result result;
            try {
                if (open == null) {
                    openedNanos = System.nanoTime();
                    connection++;
                    connectionPid = 0;
                    open = new Connection(new Socket(host, port));
                }
                Response response = open.exchange("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n");
                long pid = pidOf(response.body());
                result = new Result(client, connection, openedNanos, connectionPid, start, System.nanoTime(),
                        response.status(), pid, null);
                connectionPid = pid;
                if (response.close()) {
                    open.close();
                    open = null;
                }
            } catch (IOException | RuntimeException e) {
                result = new Result(client, connection, openedNanos, connectionPid, start, System.nanoTime(), -1, 0, e);
                if (open != null) {
                    open.close();
                }
                open = null;
            }
            synchronized (results) {
                results.add(result);
            }
            LockSupport.parkNanos(PAUSE.toNanos());
        }
        if (open != null) {
            open.close();
        }
    }

    private record Response(int status, boolean close, String body) {}

    /** A kept-alive connection and its read buffer, which may hold nothing but the current response. */
    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(SO_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        Response exchange(String request) throws IOException {
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String statusLine = line(in);
            if (!statusLine.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP response: '" + statusLine + "'");
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            String body = chunked ? chunkedBody(in) : fixedBody(in, length);
            return new Response(status, close, body);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static String fixedBody(InputStream in, long length) throws IOException {
        if (length < 0) {
            throw new IOException("response without Content-Length or chunked encoding");
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length != length) {
            throw new IOException("connection closed in the body after " + body.length + " of " + length + " bytes");
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String chunkedBody(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
            if (size == 0) {
                for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                    // no trailers expected; skip any
                }
                return body.toString(StandardCharsets.UTF_8);
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new IOException("connection closed in a chunk");
            }
            body.writeBytes(chunk);
            line(in);
        }
    }

    /** One CRLF-terminated line, without its terminator. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new IOException("connection closed by the server" + (line.isEmpty() ? "" : " after '" + line + "'"));
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static long pidOf(String body) {
        Matcher pid = PID.matcher(body);
        return pid.find() ? Long.parseLong(pid.group(1)) : 0;
    }

    /** Requests completed so far. */
    int count() {
        synchronized (results) {
            return results.size();
        }
    }

    List<Result> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    /** Waits until {@code more} requests beyond those done now have completed. */
    void awaitMore(int more, Duration limit) throws Exception {
        int target = count() + more;
        Deadline.within(limit, () -> count() >= target);
    }

    /** Stops the clients (each finishes its request in flight) and returns every result. */
    List<Result> stop() throws InterruptedException {
        stopping = true;
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(20));
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " still has a request in flight after 20 s");
            }
        }
        return results();
    }

    static List<Result> failures(List<Result> results) {
        return results.stream().filter(result -> !result.ok()).toList();
    }

    @Override
    public void close() {
        stopping = true;
        try {
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
