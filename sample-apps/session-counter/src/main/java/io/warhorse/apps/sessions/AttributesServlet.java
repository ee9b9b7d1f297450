package io.warhorse.apps.sessions;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Session attributes for the tests: {@code GET /set?name=N&value=V[&hold=TOKEN]} sets one (with {@code hold}, the
 * request then waits, up to 20 s, for a file {@code TOKEN} in java.io.tmpdir before it answers: a request of a
 * session kept in flight while another changes it); {@code GET /attrs} lists them; {@code GET /expiring?seconds=S}
 * sets the max inactive interval and binds a {@link Tracker}; {@code GET /unserializable} binds an object that
 * cannot be serialized.
 */
@WebServlet({"/set", "/attrs", "/expiring", "/unserializable"})
public class AttributesServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        HttpSession session = request.getSession();
        switch (request.getServletPath()) {
            case "/set" -> set(request, response, session);
            case "/expiring" -> {
                session.setMaxInactiveInterval(Integer.parseInt(request.getParameter("seconds")));
                session.setAttribute("tracker", new Tracker());
                response.getWriter().write("session=" + session.getId() + " pid=" + CounterServlet.PID + "\n");
            }
            case "/unserializable" -> {
                session.setAttribute("socket", new Object());
                session.setAttribute("note", "kept");
                response.getWriter().write("bound pid=" + CounterServlet.PID + "\n");
            }
            default -> {
                StringBuilder text = new StringBuilder();
                for (String name : new TreeSet<>(Collections.list(session.getAttributeNames()))) {
                    text.append(name).append('=').append(session.getAttribute(name)).append('\n');
                }
                response.getWriter().write(text.append("pid=").append(CounterServlet.PID).append('\n').toString());
            }
        }
    }

    private static void set(HttpServletRequest request, HttpServletResponse response, HttpSession session)
            throws IOException {
        session.setAttribute(request.getParameter("name"), request.getParameter("value"));
        String hold = request.getParameter("hold");
        if (hold != null && hold.matches("[a-z0-9-]{1,64}")) {
            System.out.println("session-counter: holding " + hold + " pid=" + CounterServlet.PID);
            Path release = Path.of(System.getProperty("java.io.tmpdir"), hold);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(release) && System.nanoTime() < end) {
                LockSupport.parkNanos(10_000_000);
            }
        }
        response.getWriter().write("set pid=" + CounterServlet.PID + "\n");
    }
}
