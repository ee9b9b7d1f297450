package io.warhorse.core.deploy;

import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.ServletInfo;
import io.undertow.servlet.handlers.DefaultServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Undertow's static file servlet, installed as the app's {@code default} servlet, that answers 404 for JSP source
 * ({@link JspPaths}) instead of sending it. Undertow would serve a JSP as a file whenever no JSP servlet takes the
 * request: with no JSP engine, or for a spelling the JSP servlet's mapping misses ({@code /page.jsp/}). Runs on
 * the request's thread.
 */
public class StaticFileServlet extends DefaultServlet {

    /** Init parameter: the JSP url-patterns, one a line (see {@link JspPaths#toString()}). */
    static final String JSP_PATTERNS = "warhorse.jsp-patterns";

    private static final long serialVersionUID = 1L;

    private transient JspPaths jspPaths;

    /** Makes this the app's {@code default} servlet, unless the app declares its own. */
    static void install(DeploymentInfo deployment, JspPaths jspPaths) {
        if (!deployment.getServlets().containsKey("default")) {
            deployment.addServlet(new ServletInfo("default", StaticFileServlet.class)
                    .addInitParam(JSP_PATTERNS, jspPaths.toString()));
        }
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        jspPaths = JspPaths.parse(config.getInitParameter(JSP_PATTERNS));
        super.init(config);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (jspPaths.matches(path(request))) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        super.service(request, response);
    }

    /** The path the default servlet will look up: for an include, the included one. */
    private static String path(HttpServletRequest request) {
        boolean include = request.getDispatcherType() == DispatcherType.INCLUDE
                && request.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI) != null;
        String servletPath = include ? (String) request.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH)
                : request.getServletPath();
        String pathInfo = include ? (String) request.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO)
                : request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }
}
