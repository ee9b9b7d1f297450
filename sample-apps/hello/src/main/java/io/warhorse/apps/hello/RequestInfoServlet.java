package io.warhorse.apps.hello;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.cert.X509Certificate;

/**
 * {@code /request}: what the container tells the app about this request, one {@code name=value} per line (scheme,
 * secure, remote-addr, server-name, server-port, protocol, parameters, cookies, client-cert). With
 * {@code ?redirect} it answers a redirect to {@code hello} instead, which the container makes absolute from the
 * request's scheme, host and port: what a proxy in front must get right. GET and POST (form parameters count).
 */
@WebServlet("/request")
public class RequestInfoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getParameter("redirect") != null) {
            response.sendRedirect("hello");
            return;
        }
        Cookie[] cookies = request.getCookies();
        Object chain = request.getAttribute("jakarta.servlet.request.X509Certificate");
        String clientCert = chain instanceof X509Certificate[] certs && certs.length > 0
                ? certs[0].getSubjectX500Principal().getName() : "-";
        String text = "scheme=" + request.getScheme() + "\n"
                + "secure=" + request.isSecure() + "\n"
                + "remote-addr=" + request.getRemoteAddr() + "\n"
                + "server-name=" + request.getServerName() + "\n"
                + "server-port=" + request.getServerPort() + "\n"
                + "protocol=" + request.getProtocol() + "\n"
                + "parameters=" + request.getParameterMap().size() + "\n"
                + "cookies=" + (cookies == null ? 0 : cookies.length) + "\n"
                + "client-cert=" + clientCert + "\n";
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(text);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        doGet(request, response);
    }
}
