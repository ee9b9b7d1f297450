package io.warhorse.core.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Annotations, web.xml overriding them, metadata-complete, and a ServletContainerInitializer with
 * {@code @HandlesTypes} from a WEB-INF/lib jar.
 */
@Timeout(60)
class AnnotationDeploymentTest {

    @TempDir
    static Path work;
    static TestServer server;

    @BeforeAll
    static void deploy() throws Exception {
        server = new TestServer(work.resolve("unpacked"));
        server.deploy(annotated(new WarBuilder(work), "").build(work.resolve("annotated.war")), "/annotated");
        server.deploy(annotated(new WarBuilder(work), "metadata-complete=\"true\"")
                .build(work.resolve("complete.war")), "/complete");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static WarBuilder annotated(WarBuilder war, String webAppAttributes) {
        return war.webXml(webAppAttributes, """
                <listener><listener-class>com.acme.Counting</listener-class></listener>
                <servlet><servlet-name>renamed</servlet-name><servlet-class>com.acme.Remapped</servlet-class></servlet>
                <servlet-mapping><servlet-name>renamed</servlet-name><url-pattern>/from-xml</url-pattern></servlet-mapping>
                """)
                .source("com/acme/Hi.java", """
                        package com.acme;
                        import jakarta.servlet.annotation.*;
                        import jakarta.servlet.http.*;
                        import java.io.IOException;
                        @WebServlet(urlPatterns = "/hi", loadOnStartup = 1,
                                    initParams = @WebInitParam(name = "who", value = "annotations"))
                        public class Hi extends HttpServlet {
                            @Override protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                                resp.getWriter().print("hi " + getInitParameter("who")
                                    + " filtered=" + req.getAttribute("filtered")
                                    + " listeners=" + getServletContext().getAttribute("listeners")
                                    + " handled=" + getServletContext().getAttribute("handled")
                                    + " server=" + getServletContext().getServerInfo());
                            }
                        }
                        """)
                .source("com/acme/Remapped.java", """
                        package com.acme;
                        import jakarta.servlet.annotation.*;
                        import jakarta.servlet.http.*;
                        import java.io.IOException;
                        @WebServlet(name = "renamed", urlPatterns = "/from-annotation")
                        public class Remapped extends HttpServlet {
                            @Override protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                                resp.getWriter().print("remapped");
                            }
                        }
                        """)
                .source("com/acme/Upload.java", """
                        package com.acme;
                        import jakarta.servlet.ServletException;
                        import jakarta.servlet.annotation.*;
                        import jakarta.servlet.http.*;
                        import java.io.IOException;
                        @WebServlet("/upload") @MultipartConfig(maxFileSize = 1024)
                        public class Upload extends HttpServlet {
                            @Override protected void doPost(HttpServletRequest req, HttpServletResponse resp)
                                    throws IOException, ServletException {
                                Part part = req.getPart("file");
                                resp.getWriter().print(part.getSubmittedFileName() + ":" + part.getSize());
                            }
                        }
                        """)
                .source("com/acme/Mark.java", """
                        package com.acme;
                        import jakarta.servlet.*;
                        import jakarta.servlet.annotation.WebFilter;
                        import java.io.IOException;
                        @WebFilter("/*")
                        public class Mark implements Filter {
                            @Override public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
                                    throws IOException, ServletException {
                                req.setAttribute("filtered", "yes");
                                chain.doFilter(req, resp);
                            }
                        }
                        """)
                .source("com/acme/Counting.java", """
                        package com.acme;
                        import jakarta.servlet.*;
                        import jakarta.servlet.annotation.WebListener;
                        @WebListener
                        public class Counting implements ServletContextListener {
                            @Override public void contextInitialized(ServletContextEvent event) {
                                Integer seen = (Integer) event.getServletContext().getAttribute("listeners");
                                event.getServletContext().setAttribute("listeners", seen == null ? 1 : seen + 1);
                            }
                        }
                        """)
                .file("page.jsp", "page ${6 * 7}")
                .source("com/acme/PluginA.java", "package com.acme; public class PluginA implements com.lib.Plugin {}")
                .source("com/acme/PluginB.java", "package com.acme; public class PluginB extends PluginA {}")
                .jar("plugins.jar", war.jarBuilder()
                        .source("com/lib/Plugin.java", "package com.lib; public interface Plugin {}")
                        .source("com/lib/PluginInitializer.java", """
                                package com.lib;
                                import jakarta.servlet.*;
                                import jakarta.servlet.annotation.HandlesTypes;
                                import java.util.*;
                                @HandlesTypes(Plugin.class)
                                public class PluginInitializer implements ServletContainerInitializer {
                                    @Override public void onStartup(Set<Class<?>> found, ServletContext context) {
                                        List<String> names = new ArrayList<>();
                                        if (found != null) { found.forEach(c -> names.add(c.getSimpleName())); }
                                        Collections.sort(names);
                                        context.setAttribute("handled", String.join(",", names));
                                        ServletRegistration.Dynamic jsp = context.addJspFile("page", "/page.jsp");
                                        jsp.addMapping("/page");
                                    }
                                }
                                """)
                        .file("META-INF/services/jakarta.servlet.ServletContainerInitializer", "com.lib.PluginInitializer\n"));
    }

    @Test
    void annotatedServletFilterAndListenerAreDeployed() throws Exception {
        HttpResponse<String> response = server.get("/annotated/hi");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().matches("hi annotations filtered=yes listeners=1 handled=PluginA,PluginB "
                + "server=warhorse/[0-9][^ ]* - 2\\.3\\.[0-9]+\\.Final"), response.body());
    }

    @Test
    void aWebXmlMappingReplacesTheAnnotations() throws Exception {
        assertEquals("remapped", server.get("/annotated/from-xml").body());
        assertEquals(404, server.get("/annotated/from-annotation").statusCode());
    }

    @Test
    void multipartConfigComesFromTheAnnotation() throws Exception {
        String boundary = "warhorse-boundary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n--" + boundary + "--\r\n";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/annotated/upload"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("a.txt:5", response.body());
        }
    }

    @Test
    void addJspFileServesThePage() throws Exception {
        HttpResponse<String> response = server.get("/annotated/page");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("page 42", response.body().strip());
    }

    @Test
    void absoluteOrderingLeavesOutTheFragmentsItDoesNotName() throws Exception {
        WarBuilder war = new WarBuilder(work);
        war.webXml("<absolute-ordering><name>B</name></absolute-ordering>")
                .jar("a.jar", fragmentJar(war, "A", "com.a.Servlet", "/a"))
                .jar("b.jar", fragmentJar(war, "B", "com.b.Servlet", "/b"))
                .jar("c.jar", war.jarBuilder().source("com/c/Servlet.java", servlet("com.c", "@jakarta.servlet.annotation.WebServlet(\"/c\")")));
        DeployedApp app = server.deploy(war.build(work.resolve("ordered.war")), "/ordered");
        try {
            assertEquals("com.b", server.get("/ordered/b").body());
            assertEquals(404, server.get("/ordered/a").statusCode());
            assertEquals(404, server.get("/ordered/c").statusCode());
        } finally {
            server.undeploy(app);
        }
    }

    private static WarBuilder fragmentJar(WarBuilder war, String name, String servletClass, String path) {
        String pkg = servletClass.substring(0, servletClass.lastIndexOf('.'));
        return war.jarBuilder()
                .source(servletClass.replace('.', '/') + ".java", servlet(pkg, ""))
                .file("META-INF/web-fragment.xml", """
                        <web-fragment xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                          <name>%s</name>
                          <servlet><servlet-name>%s</servlet-name><servlet-class>%s</servlet-class></servlet>
                          <servlet-mapping><servlet-name>%s</servlet-name><url-pattern>%s</url-pattern></servlet-mapping>
                        </web-fragment>
                        """.formatted(name, name, servletClass, name, path));
    }

    private static String servlet(String pkg, String annotation) {
        return """
                package %s;
                %s
                public class Servlet extends jakarta.servlet.http.HttpServlet {
                    @Override protected void doGet(jakarta.servlet.http.HttpServletRequest req,
                            jakarta.servlet.http.HttpServletResponse resp) throws java.io.IOException {
                        resp.getWriter().print("%s");
                    }
                }
                """.formatted(pkg, annotation, pkg);
    }

    /** As the class loader would only fail on it if something loaded it, and ClassGraph's scan passed over it. */
    @Test
    void aClassFileThatIsNotOneIsSkippedAndTheAppServes() throws Exception {
        Path war = new WarBuilder(work)
                .binary("WEB-INF/classes/com/acme/Junk.class", "not a class file".getBytes(StandardCharsets.UTF_8))
                .source("com/acme/Still.java", """
                        package com.acme;
                        @jakarta.servlet.annotation.WebServlet("/still")
                        public class Still extends jakarta.servlet.http.HttpServlet {
                            @Override protected void doGet(jakarta.servlet.http.HttpServletRequest req,
                                    jakarta.servlet.http.HttpServletResponse resp) throws java.io.IOException {
                                resp.getWriter().print("still here");
                            }
                        }
                        """)
                .build(work.resolve("junk.war"));
        DeployedApp app = server.deploy(war, "/junk");
        try {
            assertEquals("still here", server.get("/junk/still").body());
        } finally {
            server.undeploy(app);
        }
    }

    @Test
    void metadataCompleteIgnoresAnnotationsButStillRunsInitializers() throws Exception {
        assertEquals(404, server.get("/complete/hi").statusCode());
        assertEquals(404, server.get("/complete/upload").statusCode());
        assertEquals("remapped", server.get("/complete/from-xml").body());
        assertEquals("page 42", server.get("/complete/page").body().strip());
    }
}
