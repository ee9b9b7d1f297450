package io.warhorse.apps.async;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /block?ms=N}: a deliberately bad servlet for the async worker kind: it sleeps on its request thread
 * for N ms (default 100, at most 60000), starving the few threads that kind has. Warhorse's async kind should
 * report it (with a stack trace) as a blocked task. Answers {@code blocked N ms}.
 */
@WebServlet("/block")
public class BlockServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int ms = Millis.parseOrReject(request, response);
        if (ms < 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write("blocked " + ms + " ms\n");
    }
}
