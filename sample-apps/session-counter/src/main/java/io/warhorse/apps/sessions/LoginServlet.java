package io.warhorse.apps.sessions;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/**
 * What a FORM login does: {@code POST /login} with {@code user=NAME} changes the session id (against session
 * fixation) and stores the user; {@code GET /whoami} answers the user or 401; {@code POST /logout} invalidates.
 */
@WebServlet({"/login", "/whoami", "/logout"})
public class LoginServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        if (request.getServletPath().equals("/logout")) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            response.getWriter().write("logged out\n");
            return;
        }
        String user = request.getParameter("user");
        if (user == null || !user.matches("[A-Za-z0-9]{1,32}")) {
            response.sendError(400, "user: 1 to 32 letters or digits");
            return;
        }
        String before = request.getSession().getId();
        String after = request.changeSessionId();
        request.getSession().setAttribute("user", user);
        response.getWriter().write("user=" + user + " changed=" + !before.equals(after) + " pid=" + CounterServlet.PID + "\n");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        HttpSession session = request.getSession(false);
        Object user = session == null ? null : session.getAttribute("user");
        if (user == null) {
            response.setStatus(401);
            response.getWriter().write("anonymous pid=" + CounterServlet.PID + "\n");
        } else {
            response.getWriter().write("user=" + user + " pid=" + CounterServlet.PID + "\n");
        }
    }
}
