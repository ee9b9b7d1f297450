package io.warhorse.core.deploy;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.jasper.servlet.JspServlet;

/**
 * Jasper's JSP servlet as an app sees it by name ({@code org.apache.jasper.servlet.JspServlet}), also serving the
 * pages registered with {@code ServletContext.addJspFile}. Undertow passes such a page's path in a request
 * attribute that Tomcat 10.1's Jasper no longer reads; this servlet hands it to Jasper as the servlet path. Runs on
 * the request's thread.
 */
public class JspFileServlet extends JspServlet {

    /** The request attribute Undertow sets for a servlet added with {@code addJspFile}. */
    static final String JSP_FILE_ATTRIBUTE = "org.apache.catalina.jsp_file";

    private static final long serialVersionUID = 1L;

    @Override
    public void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (request.getAttribute(JSP_FILE_ATTRIBUTE) instanceof String file && getInitParameter("jspFile") == null) {
            request.removeAttribute(JSP_FILE_ATTRIBUTE);
            super.service(new HttpServletRequestWrapper(request) {
                @Override
                public String getServletPath() {
                    return file;
                }

                @Override
                public String getPathInfo() {
                    return null;
                }
            }, response);
            return;
        }
        super.service(request, response);
    }
}
