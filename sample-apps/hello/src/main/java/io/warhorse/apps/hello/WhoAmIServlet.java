package io.warhorse.apps.hello;

import jakarta.servlet.ServletContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /whoami}: which worker process and thread served this request, as one line of JSON:
 * {@code {"pid":123,"thread":"vt-5","isVirtual":true,"worker":"virtual","app":"hello"}}.
 *
 * <p>The worker kind is the servlet context attribute {@value #WORKER_ATTRIBUTE} that warhorse sets, else the
 * system property {@value #WORKER_PROPERTY}, else {@code "unknown"} (under another container).
 */
@WebServlet("/whoami")
public class WhoAmIServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    static final String WORKER_ATTRIBUTE = "io.warhorse.worker";
    static final String WORKER_PROPERTY = "warhorse.worker";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Thread thread = Thread.currentThread();
        String json = "{\"pid\":" + ProcessHandle.current().pid()
                + ",\"thread\":" + quote(thread.getName())
                + ",\"isVirtual\":" + thread.isVirtual()
                + ",\"worker\":" + quote(workerKind(getServletContext()))
                + ",\"app\":\"hello\"}\n";
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(json);
    }

    static String workerKind(ServletContext context) {
        Object attribute = context.getAttribute(WORKER_ATTRIBUTE);
        if (attribute != null) {
            return attribute.toString();
        }
        return System.getProperty(WORKER_PROPERTY, "unknown");
    }

    /** A JSON string literal: thread names are chosen by whoever made the thread, so escape everything. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
