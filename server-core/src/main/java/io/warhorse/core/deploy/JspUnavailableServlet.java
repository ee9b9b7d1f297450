package io.warhorse.core.deploy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Stands in for the JSP engine while none is on the class path, so that an app registering a JSP at start
 * ({@code ServletContext.addJspFile}, {@code <jsp-file>}) still deploys and the rest of it works; only requests that
 * reach a JSP are answered, with 501 and a reason, instead of failing the whole app.
 */
public class JspUnavailableServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.sendError(HttpServletResponse.SC_NOT_IMPLEMENTED,
                "JSP support is not installed in this server; cannot render " + request.getServletPath());
    }
}
