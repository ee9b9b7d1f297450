package io.warhorse.apps.sessions;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/**
 * {@code GET /count}: adds one to the session's counter and answers {@code count=N pid=P}; {@code GET /read}: reads
 * it without changing anything; {@code GET /plain}: touches no session at all and answers {@code {"pid":P}};
 * {@code GET /late}: sends the start of its response first, then adds one to the counter of the session the
 * request already has, as a page that flushes before it reads its session does. The pid shows which worker answered.
 */
@WebServlet({"/count", "/read", "/plain", "/late"})
public class CounterServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final long PID = ProcessHandle.current().pid();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        String path = request.getServletPath();
        if (path.equals("/plain")) {
            response.setContentType("application/json");
            response.getWriter().write("{\"pid\":" + PID + "}\n");
            return;
        }
        if (path.equals("/late")) {
            response.getWriter().write("late ");
            response.flushBuffer();
            HttpSession session = request.getSession(false);
            if (session == null) {
                response.getWriter().write("no session\n");
                return;
            }
            int value = (Integer) session.getAttribute("count") + 1;
            session.setAttribute("count", value);
            response.getWriter().write("count=" + value + " pid=" + PID + "\n");
            return;
        }
        HttpSession session = request.getSession();
        Integer count = (Integer) session.getAttribute("count");
        int value = count == null ? 0 : count;
        if (path.equals("/count")) {
            value++;
            session.setAttribute("count", value);
        }
        response.getWriter().write("count=" + value + " pid=" + PID + "\n");
    }
}
