package io.warhorse.core.master.admin;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
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
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The master's admin listener, a small Undertow server on its own port (never the app port): {@code GET /} the
 * status page, {@code /metrics} (Prometheus text format), {@code /metrics.json} ({@code ?history=1} adds the
 * last minutes' series), {@code /-/healthy} (the master
 * runs) and {@code /-/ready} (some worker serves). {@code /metrics} answers OpenMetrics to a scraper whose Accept
 * header asks for it. Requests run on its one worker thread, off the arbiter's.
 */
public final class AdminServer implements AutoCloseable {

    /** The admin port cannot be opened; the message says what to do. */
    public static final class AdminBindException extends Exception {
        AdminBindException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Undertow undertow;

    private AdminServer(Undertow undertow) {
        this.undertow = undertow;
    }

    /**
     * Fails now, with the same message {@link #start} would give, if {@code bind} cannot be listened on: the master
     * checks before it starts any worker, and starts the listener itself while its first workers boot.
     */
    public static void checkBindable(HostPort bind) throws AdminBindException {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.setOption(StandardSocketOptions.SO_REUSEADDR, true); // as Undertow's listener, so it can follow at once
            probe.bind(new InetSocketAddress(bind.host(), bind.port()));
        } catch (IOException | RuntimeException e) {
            throw cannotBind(bind, e);
        }
    }

    public static AdminServer start(HostPort bind, MasterView view) throws AdminBindException {
        Undertow undertow = Undertow.builder()
                .addHttpListener(bind.port(), bind.host())
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(routes(view))
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            undertow.stop();
            throw cannotBind(bind, e);
        }
        return new AdminServer(undertow);
    }

    private static HttpHandler routes(MasterView view) {
        byte[] page = statusPage();
        return new RoutingHandler()
                .get("/", exchange -> send(exchange, "text/html; charset=utf-8", page))
                .get("/metrics", exchange -> blocking(exchange, () -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    var writer = PrometheusExposition.writerFor(exchange.getRequestHeaders().getFirst(Headers.ACCEPT));
                    PrometheusExposition.write(view, out, writer);
                    send(exchange, writer.getContentType(), out.toByteArray());
                }))
                .get("/metrics.json", exchange -> blocking(exchange, () -> send(exchange, "application/json",
                        JsonExposition.render(view, wantsHistory(exchange)).getBytes(StandardCharsets.UTF_8))))
                .get("/-/healthy", exchange -> send(exchange, "text/plain", "ok\n".getBytes(StandardCharsets.US_ASCII)))
                .get("/-/ready", exchange -> {
                    boolean ready = view.ready();
                    exchange.setStatusCode(ready ? 200 : 503);
                    send(exchange, "text/plain", (ready ? "ready\n" : "no worker ready\n").getBytes(StandardCharsets.US_ASCII));
                });
    }

    /** {@code ?history=1} (or {@code true}) adds the last minutes' series; any other value does not. */
    private static boolean wantsHistory(HttpServerExchange exchange) {
        var values = exchange.getQueryParameters().get("history");
        return values != null && !values.isEmpty() && (values.getFirst().equals("1") || values.getFirst().equals("true"));
    }

    private interface Body {
        void run() throws IOException;
    }

    /** Renders off the I/O thread: the merge takes locks and reads /proc. */
    private static void blocking(HttpServerExchange exchange, Body body) {
        Runnable task = () -> {
            try {
                body.run();
            } catch (IOException | RuntimeException e) {
                exchange.setStatusCode(500);
                exchange.endExchange();
            }
        };
        if (exchange.isInIoThread()) {
            exchange.dispatch(task);
        } else {
            task.run();
        }
    }

    private static void send(HttpServerExchange exchange, String contentType, byte[] body) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
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
        return (InetSocketAddress) undertow.getListenerInfo().getFirst().getAddress();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
