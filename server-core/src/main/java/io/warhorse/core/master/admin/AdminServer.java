package io.warhorse.core.master.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.warhorse.core.Threads;
import io.warhorse.core.config.HostPort;
import io.warhorse.core.metrics.JsonExposition;
import io.warhorse.core.metrics.MasterView;
import io.warhorse.core.metrics.PrometheusExposition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URLDecoder;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's admin listener, on its own port (never the app port): {@code GET /} the status page,
 * {@code /metrics} (Prometheus text format), {@code /metrics.json} ({@code ?history=1} adds the last minutes'
 * series), {@code /-/healthy} (the master runs) and {@code /-/ready} (some worker serves). {@code /metrics} answers
 * OpenMetrics to a scraper whose Accept header asks for it. It is the JDK's own HTTP server
 * ({@code com.sun.net.httpserver}), not Undertow: the master then loads no Undertow, XNIO or JMX classes and runs
 * no XNIO threads, a good part of its memory (see the README's Start-up section). The JDK's dispatcher thread
 * accepts; each request is read and answered on a virtual thread of its own ({@code admin-N}), off the arbiter's.
 */
public final class AdminServer implements AutoCloseable {

    /** The admin port cannot be opened; the message says what to do. */
    public static final class AdminBindException extends Exception {
        AdminBindException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    /** Pages rendered at once: a flood of scrapes costs the master at most this many cores. */
    private static final int RENDERING_AT_ONCE = 2;

    private final HttpServer server;
    private final ExecutorService requests;

    private AdminServer(HttpServer server, ExecutorService requests) {
        this.server = server;
        this.requests = requests;
    }

    /**
     * Fails now, with the same message {@link #start} would give, if {@code bind} cannot be listened on: the master
     * checks before it starts any worker, and starts the listener itself while its first workers boot.
     */
    public static void checkBindable(HostPort bind) throws AdminBindException {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.setOption(StandardSocketOptions.SO_REUSEADDR, true); // as the JDK server socket that follows at once
            probe.bind(new InetSocketAddress(bind.host(), bind.port()));
        } catch (IOException | RuntimeException e) {
            throw cannotBind(bind, e);
        }
    }

    /**
     * Opens the listener. Its requests run on virtual threads, one each: the JDK's server reads a request's head on
     * the thread that then runs it, so a client that sends its head slowly (a slowloris) holds only a parked
     * virtual thread, never the listener, and is cut off after {@code requestTime} (the JDK's
     * {@code sun.net.httpserver.maxReqTime}). At most {@code maxConnections} are open at once
     * ({@code jdk.httpserver.maxConnections}), and two pages render at a time. The two limits are the JDK's system
     * properties, read when its server is first used: set here unless the user set them (-D in WARHORSE_JAVA_OPTS).
     */
    public static AdminServer start(HostPort bind, MasterView view, int maxConnections, Duration requestTime)
            throws AdminBindException {
        setUnlessSet("sun.net.httpserver.maxReqTime", Long.toString(Math.max(1, requestTime.toSeconds())));
        setUnlessSet("jdk.httpserver.maxConnections", Integer.toString(maxConnections));
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bind.host(), bind.port()), 0);
        } catch (IOException | RuntimeException e) {
            throw cannotBind(bind, e);
        }
        ExecutorService requests = Threads.create().virtualPerTask("admin");
        server.setExecutor(requests);
        Map<String, Body> paths = routes(view);
        Semaphore rendering = new Semaphore(RENDERING_AT_ONCE);
        server.createContext("/", exchange -> answer(exchange, paths, rendering));
        server.start();
        return new AdminServer(server, requests);
    }

    private static void setUnlessSet(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** What one path answers: the status, the content type and the body, which HEAD leaves out. */
    private record Reply(int status, String contentType, byte[] body) {}

    private interface Body {
        Reply render(HttpExchange exchange) throws IOException;
    }

    private static Map<String, Body> routes(MasterView view) {
        byte[] page = statusPage();
        return Map.of(
                "/", exchange -> new Reply(200, "text/html; charset=utf-8", page),
                "/metrics", exchange -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    var writer = PrometheusExposition.writerFor(exchange.getRequestHeaders().getFirst("Accept"));
                    PrometheusExposition.write(view, out, writer);
                    return new Reply(200, writer.getContentType(), out.toByteArray());
                },
                "/metrics.json", exchange -> new Reply(200, "application/json",
                        JsonExposition.render(view, wantsHistory(exchange)).getBytes(StandardCharsets.UTF_8)),
                "/-/healthy", exchange -> text(200, "ok\n"),
                "/-/ready", exchange -> view.ready() ? text(200, "ready\n") : text(503, "no worker ready\n"));
    }

    /** Every path answers HEAD like GET, without the body; another method is 405, another path 404. */
    private static void answer(HttpExchange exchange, Map<String, Body> paths, Semaphore rendering) throws IOException {
        try (exchange) {
            Body body = paths.get(exchange.getRequestURI().getPath());
            String method = exchange.getRequestMethod();
            boolean head = method.equals("HEAD");
            Reply reply;
            if (body == null) {
                reply = text(404, "not found\n");
            } else if (!head && !method.equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply = text(405, "GET or HEAD only\n");
            } else {
                reply = render(body, exchange, rendering);
            }
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (head) {
                exchange.getResponseHeaders().set("Content-Length", Integer.toString(reply.body().length));
                exchange.sendResponseHeaders(reply.status(), -1);
            } else {
                exchange.sendResponseHeaders(reply.status(), reply.body().length);
                exchange.getResponseBody().write(reply.body());
            }
        }
    }

    private static Reply render(Body body, HttpExchange exchange, Semaphore rendering) {
        try {
            rendering.acquire();
            try {
                return body.render(exchange);
            } finally {
                rendering.release();
            }
        } catch (InterruptedException e) { // the listener stops
            Thread.currentThread().interrupt();
            return text(503, "the master is stopping\n");
        } catch (IOException | RuntimeException e) { // the reason goes to the log, not to whoever asked
            LOG.warn("admin listener (pid {}): cannot render {}: {}", ProcessHandle.current().pid(),
                    exchange.getRequestURI().getPath(), e.toString(), e);
            return text(500, "cannot render this page; the master's log says why\n");
        }
    }

    private static Reply text(int status, String body) {
        return new Reply(status, "text/plain", body.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code ?history=1} (or {@code true}) adds the last minutes' series; any other value does not. */
    private static boolean wantsHistory(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        return query != null && Arrays.stream(query.split("&"))
                .filter(pair -> pair.startsWith("history="))
                .map(pair -> URLDecoder.decode(pair.substring("history=".length()), StandardCharsets.UTF_8))
                .findFirst().filter(value -> value.equals("1") || value.equals("true")).isPresent();
    }

    private static byte[] statusPage() {
        try (InputStream in = AdminServer.class.getResourceAsStream("status.html")) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("status.html missing from the class path", e));
        }
    }

    private static AdminBindException cannotBind(HostPort bind, Exception e) {
        return new AdminBindException("cannot open the admin listener on " + bind + ": " + rootMessage(e)
                + "; set admin.bind (--admin-bind HOST:PORT) to a free port, or admin.enabled = false", e);
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    /** The address it listens on (the real port when bound to port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        Threads.stop(requests, Duration.ofSeconds(5), true);
    }
}
