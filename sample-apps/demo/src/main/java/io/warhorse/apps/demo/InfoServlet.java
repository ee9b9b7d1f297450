package io.warhorse.apps.demo;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;

/**
 * {@code GET /info}: who served this request, for the demo page's script, as one line of JSON:
 * {@code {"pid":123,"thread":"vt-5","isVirtual":true,"worker":"virtual","uptimeMs":4567,"java":"25.0.1","app":"demo"}}.
 * {@code uptimeMs} is the worker process's (the JVM's) uptime. The worker kind is the servlet context attribute
 * {@code io.warhorse.worker} that warhorse sets, else the system property {@code warhorse.worker}, else
 * {@code "unknown"}.
 */
@WebServlet("/info")
public class InfoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Thread thread = Thread.currentThread();
        Object worker = getServletContext().getAttribute("io.warhorse.worker");
        String json = "{\"pid\":" + ProcessHandle.current().pid()
                + ",\"thread\":" + quote(thread.getName())
                + ",\"isVirtual\":" + thread.isVirtual()
                + ",\"worker\":" + quote(worker != null ? worker.toString()
                        : System.getProperty("warhorse.worker", "unknown"))
                + ",\"uptimeMs\":" + ManagementFactory.getRuntimeMXBean().getUptime()
                + ",\"java\":" + quote(Runtime.version().toString())
                + ",\"app\":\"demo\"}\n";
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(json);
    }

    /** A JSON string literal; thread names are anyone's choice, so escape everything JSON requires. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 || c == 0x2028 || c == 0x2029
                        ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
