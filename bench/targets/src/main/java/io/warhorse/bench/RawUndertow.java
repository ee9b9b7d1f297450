package io.warhorse.bench;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * Baseline "raw-undertow", the ceiling: Undertow 2.3.26.Final {@link HttpHandler}s with the same endpoints and no
 * servlet layer. {@code /hello} and {@code /health} answer on the IO thread; {@code /query} and {@code /cpu}
 * dispatch to the worker pool, which is big (1100 threads, {@code -Dbench.workerThreads=N}) so that
 * {@code /query} is not thread-bound at 1000 connections; {@code /async} completes from an IO-thread timer.
 * Usage: {@code PORT}.
 */
public final class RawUndertow {
    private static final String TEXT = "text/plain;charset=UTF-8";

    private RawUndertow() {
    }

    public static void main(String[] args) {
        int port = Work.port(args);
        PathHandler paths = new PathHandler()
                .addExactPath("/hello", exchange -> send(exchange, 200, Work.HELLO))
                .addExactPath("/health", exchange -> send(exchange, 200, Work.HEALTHY))
                .addExactPath("/query", blocking(RawUndertow::query))
                .addExactPath("/cpu", blocking(RawUndertow::cpu))
                .addExactPath("/async", RawUndertow::async);
        Undertow server = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setWorkerThreads(Integer.getInteger("bench.workerThreads", 1100))
                .setHandler(paths)
                .build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    }

    private static HttpHandler blocking(HttpHandler handler) {
        return exchange -> {
            if (exchange.isInIoThread()) {
                exchange.dispatch(handler);
                return;
            }
            handler.handleRequest(exchange);
        };
    }

    private static void query(HttpServerExchange exchange) throws Exception {
        int ms = Work.millis(param(exchange, "ms"));
        if (ms < 0) {
            send(exchange, 400, "bad request: want ms=N, 0 <= N <= " + Work.MAX_MS + "\n");
            return;
        }
        Work.query(ms, param(exchange, "via"));
        send(exchange, 200, Work.queried(ms));
    }

    private static void cpu(HttpServerExchange exchange) {
        int n = Work.iterations(param(exchange, "n"));
        if (n < 0) {
            send(exchange, 400, "bad request: want n=N, N >= 0\n");
            return;
        }
        send(exchange, 200, Work.burnt(n));
    }

    private static void async(HttpServerExchange exchange) {
        int ms = Work.millis(param(exchange, "ms"));
        if (ms < 0) {
            send(exchange, 400, "bad request: want ms=N, 0 <= N <= " + Work.MAX_MS + "\n");
            return;
        }
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> exchange.getIoThread()
                .executeAfter(() -> send(exchange, 200, "async " + Work.queried(ms)), ms, TimeUnit.MILLISECONDS));
    }

    private static String param(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null ? null : values.peekFirst();
    }

    private static void send(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, TEXT);
        exchange.getResponseSender().send(body);
    }
}
