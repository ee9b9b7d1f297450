package io.warhorse.apps.async;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The {@code ms} query parameter shared by {@code /async} and {@code /block}. */
final class Millis {
    static final int DEFAULT = 100;
    static final int MAX = 60_000;

    private Millis() {
    }

    /** The ms asked for, or -1 after answering 400 if it is not an integer in [0, MAX]. */
    static int parseOrReject(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String value = request.getParameter("ms");
        if (value == null || value.isEmpty()) {
            return DEFAULT;
        }
        try {
            int ms = Integer.parseInt(value.trim());
            if (ms >= 0 && ms <= MAX) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write("bad request: want ms=N with N an integer from 0 to " + MAX
                + " (default " + DEFAULT + ")\n");
        return -1;
    }
}
