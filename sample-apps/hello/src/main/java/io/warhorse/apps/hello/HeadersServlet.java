package io.warhorse.apps.hello;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;

/**
 * {@code GET /headers}: the request's headers as the app sees them, one {@code name: value} a line (lower-case
 * names), then {@code remote: ADDRESS}: what a proxy in front (nginx's X-Forwarded-*) passed on. Answers in the
 * request's locale ({@code setLocale(request.getLocale())}, as Spring MVC does), which sets Content-Language.
 */
@WebServlet("/headers")
public class HeadersServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                text.append(name.toLowerCase(java.util.Locale.ROOT)).append(": ").append(value).append('\n');
            }
        }
        text.append("remote: ").append(request.getRemoteAddr()).append('\n');
        response.setLocale(request.getLocale());
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(text.toString());
    }
}
