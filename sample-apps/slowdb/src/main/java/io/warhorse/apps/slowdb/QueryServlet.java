package io.warhorse.apps.slowdb;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /query?ms=N}: holds the request thread for N ms (default 100, at most 60000) the way a JDBC call
 * does, then answers {@code ok N ms}. How it blocks is the init-param {@code blocking} ({@code socket}, the
 * default: a read from {@link FakeDatabase}; or {@code sleep}), overridable per request with {@code ?via=}.
 * Declared in web.xml, not by annotation: this app is the web.xml sample.
 */
public class QueryServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    static final int DEFAULT_MS = 100;
    static final int MAX_MS = 60_000;

    private String defaultVia;

    @Override
    public void init() throws ServletException {
        defaultVia = viaOrNull(getInitParameter("blocking"), "socket");
        if (defaultVia == null) {
            throw new ServletException("slowdb: init-param blocking must be 'socket' or 'sleep', not '"
                    + getInitParameter("blocking") + "'");
        }
    }

    /** Requests this servlet has started to run, for {@link StatsServlet}. */
    static final AtomicLong STARTED = new AtomicLong();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        STARTED.incrementAndGet();
        response.setContentType("text/plain;charset=UTF-8");
        Integer ms = parseMillis(request.getParameter("ms"));
        String via = viaOrNull(request.getParameter("via"), defaultVia);
        if (ms == null || via == null) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.getWriter().write("bad request: want ms=N with N an integer from 0 to " + MAX_MS
                    + " (default " + DEFAULT_MS + ") and optionally via=socket or via=sleep\n");
            return;
        }
        try {
            block(ms, via);
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.getWriter().write("query failed: " + e.getMessage() + "\n");
            return;
        }
        response.getWriter().write("ok " + ms + " ms\n");
    }

    private void block(int ms, String via) throws IOException, InterruptedException {
        if (ms == 0) {
            return;
        }
        if (via.equals("sleep")) {
            Thread.sleep(ms);
            return;
        }
        Object database = getServletContext().getAttribute(FakeDatabaseListener.ATTRIBUTE);
        if (!(database instanceof FakeDatabase fake)) {
            throw new IOException("the fake database is not running (FakeDatabaseListener missing from web.xml?)");
        }
        fake.query(ms);
    }

    /** The number of ms asked for, or null if it is not an integer in [0, MAX_MS]. */
    static Integer parseMillis(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_MS;
        }
        try {
            int ms = Integer.parseInt(value.trim());
            return ms >= 0 && ms <= MAX_MS ? ms : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String viaOrNull(String value, String fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        return value.equals("socket") || value.equals("sleep") ? value : null;
    }
}
