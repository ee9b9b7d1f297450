package io.warhorse.apps.cpu;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /cpu?n=N}: burns CPU on the request thread with {@link Burn#sha256Chain} (N rounds of SHA-256,
 * default 100000, at most 100000000; about 15,000 rounds per ms on a current core) and answers the result, so a
 * client can verify the work was done: {@code cpu n=N sha256=HEX}. The time taken is in the header
 * {@code X-Cpu-Millis}, outside the body so that the body is the same on every run.
 */
@WebServlet("/cpu")
public class CpuServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    static final long DEFAULT_N = 100_000;
    static final long MAX_N = 100_000_000;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        long n = parseN(request.getParameter("n"));
        if (n < 0) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.getWriter().write("bad request: want n=N with N an integer from 0 to " + MAX_N
                    + " (default " + DEFAULT_N + ")\n");
            return;
        }
        long start = System.nanoTime();
        String hex = Burn.sha256Chain(n);
        response.setHeader("X-Cpu-Millis", Long.toString((System.nanoTime() - start) / 1_000_000));
        response.getWriter().write("cpu n=" + n + " sha256=" + hex + "\n");
    }

    /** N, or -1 if it is not an integer in [0, MAX_N]. */
    static long parseN(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_N;
        }
        try {
            long n = Long.parseLong(value.trim());
            return n >= 0 && n <= MAX_N ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
