package io.warhorse.bench;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The sample apps' servlets, copied as tiny servlets so that undertow-servlet and Tomcat run the same code as
 * warhorse does, with no warhorse class on the class path. {@link #PATHS} maps each path to its servlet.
 */
public final class Servlets {
    /** Path, servlet class, async supported. */
    record Mapping(String path, Class<? extends HttpServlet> type, boolean async) {
    }

    static final Mapping[] PATHS = {
        new Mapping("/hello", Hello.class, false),
        new Mapping("/health", Health.class, false),
        new Mapping("/query", Query.class, false),
        new Mapping("/async", Async.class, true),
        new Mapping("/cpu", Cpu.class, false),
    };

    private Servlets() {
    }

    static HttpServlet instantiate(Class<? extends HttpServlet> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void text(HttpServletResponse response, int status, String body) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(body);
    }

    /** {@code GET /hello}: a fixed line, as hello.war. */
    public static final class Hello extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            text(response, 200, Work.HELLO);
        }
    }

    /** {@code GET /health}: {@code ok} at once, as slowdb.war's and async.war's. */
    public static final class Health extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            text(response, 200, Work.HEALTHY);
        }
    }

    /** {@code GET /query?ms=N[&via=sleep]}: holds the request thread N ms, as slowdb.war. */
    public static final class Query extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int ms = Work.millis(request.getParameter("ms"));
            if (ms < 0) {
                text(response, 400, "bad request: want ms=N, 0 <= N <= " + Work.MAX_MS + "\n");
                return;
            }
            try {
                Work.query(ms, request.getParameter("via"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                text(response, 503, "query interrupted\n");
                return;
            }
            text(response, 200, Work.queried(ms));
        }
    }

    /** {@code GET /async?ms=N}: starts async, completes N ms later from a scheduler thread, as async.war. */
    public static final class Async extends HttpServlet {
        private static final ScheduledExecutorService SCHEDULER =
                Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("async-timer").factory());

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int ms = Work.millis(request.getParameter("ms"));
            if (ms < 0) {
                text(response, 400, "bad request: want ms=N, 0 <= N <= " + Work.MAX_MS + "\n");
                return;
            }
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            SCHEDULER.schedule(() -> complete(async, ms), ms, TimeUnit.MILLISECONDS);
        }

        private static void complete(AsyncContext async, int ms) {
            try {
                text((HttpServletResponse) async.getResponse(), 200, "async " + Work.queried(ms));
            } catch (IOException | RuntimeException e) {
                System.err.println("async: " + e);
            } finally {
                async.complete();
            }
        }
    }

    /** {@code GET /cpu?n=N}: N rounds of SHA-256, as cpu.war (the harness calibrates N to ~5 ms). */
    public static final class Cpu extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int n = Work.iterations(request.getParameter("n"));
            if (n < 0) {
                text(response, 400, "bad request: want n=N, N >= 0\n");
                return;
            }
            text(response, 200, Work.burnt(n));
        }
    }
}
