package io.warhorse.core.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A WAR described only by web.xml, deployed twice on two context paths and checked over real HTTP. */
@Timeout(60)
class WebXmlDeploymentTest {

    @TempDir
    static Path work;
    static TestServer server;
    static Path war;

    @BeforeAll
    static void deploy() throws Exception {
        war = fixture(new WarBuilder(work)).build(work.resolve("shop.war"));
        server = new TestServer(work.resolve("unpacked"));
        server.deploy(war, "/shop");
        server.deploy(war, "/other/shop");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static WarBuilder fixture(WarBuilder war) {
        return war.webXml("""
                <context-param><param-name>site</param-name><param-value>warhorse</param-value></context-param>
                <listener><listener-class>com.acme.StartListener</listener-class></listener>
                <servlet>
                  <servlet-name>echo</servlet-name><servlet-class>com.acme.EchoServlet</servlet-class>
                  <init-param><param-name>greeting</param-name><param-value>hello</param-value></init-param>
                </servlet>
                <servlet-mapping><servlet-name>echo</servlet-name><url-pattern>/echo</url-pattern></servlet-mapping>
                <filter>
                  <filter-name>tag</filter-name><filter-class>com.acme.TagFilter</filter-class>
                  <init-param><param-name>tag</param-name><param-value>tagged</param-value></init-param>
                </filter>
                <filter-mapping><filter-name>tag</filter-name><url-pattern>/echo</url-pattern></filter-mapping>
                <welcome-file-list><welcome-file>home.html</welcome-file></welcome-file-list>
                <error-page><error-code>404</error-code><location>/missing.html</location></error-page>
                <mime-mapping><extension>wh</extension><mime-type>application/x-warhorse</mime-type></mime-mapping>
                <session-config>
                  <session-timeout>7</session-timeout>
                  <cookie-config><name>WHSESSION</name></cookie-config>
                </session-config>
                """)
                .source("com/acme/EchoServlet.java", """
                        package com.acme;
                        import jakarta.servlet.http.*;
                        import java.io.IOException;
                        public class EchoServlet extends HttpServlet {
                            @Override protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                                HttpSession session = req.getSession(true);
                                resp.getWriter().print("greeting=" + getInitParameter("greeting")
                                    + " site=" + getServletContext().getInitParameter("site")
                                    + " started=" + getServletContext().getAttribute("started")
                                    + " timeout=" + session.getMaxInactiveInterval());
                            }
                        }
                        """)
                .source("com/acme/TagFilter.java", """
                        package com.acme;
                        import jakarta.servlet.*;
                        import jakarta.servlet.http.HttpServletResponse;
                        import java.io.IOException;
                        public class TagFilter implements Filter {
                            private String tag;
                            @Override public void init(FilterConfig config) { tag = config.getInitParameter("tag"); }
                            @Override public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
                                    throws IOException, ServletException {
                                ((HttpServletResponse) resp).setHeader("X-Tag", tag);
                                chain.doFilter(req, resp);
                            }
                        }
                        """)
                .source("com/acme/StartListener.java", """
                        package com.acme;
                        import jakarta.servlet.*;
                        public class StartListener implements ServletContextListener {
                            @Override public void contextInitialized(ServletContextEvent event) {
                                event.getServletContext().setAttribute("started", "yes");
                            }
                        }
                        """)
                .file("home.html", "HOME PAGE")
                .file("missing.html", "CUSTOM NOT FOUND")
                .file("data.wh", "whinny")
                .file("WEB-INF/secret.txt", "WEB-INF SECRET")
                .file("META-INF/secret.txt", "META-INF SECRET")
                .jar("assets.jar", war.jarBuilder()
                        .file("META-INF/resources/from-jar.html", "FROM A LIBRARY JAR")
                        .file("META-INF/resources/home.html", "JAR HOME MUST LOSE"));
    }

    @Test
    void servletFilterListenerAndParamsComeFromWebXml() throws Exception {
        HttpResponse<String> response = server.get("/shop/echo");
        assertEquals(200, response.statusCode());
        assertEquals("greeting=hello site=warhorse started=yes timeout=420", response.body());
        assertEquals("tagged", response.headers().firstValue("X-Tag").orElse(null));
        assertTrue(response.headers().firstValue("Set-Cookie").orElse("").startsWith("WHSESSION="),
                response.headers().toString());
    }

    @Test
    void welcomeFileErrorPageAndMimeMapping() throws Exception {
        assertEquals("HOME PAGE", server.get("/shop/").body());
        HttpResponse<String> missing = server.get("/shop/no-such-page");
        assertEquals(404, missing.statusCode());
        assertEquals("CUSTOM NOT FOUND", missing.body());
        HttpResponse<String> data = server.get("/shop/data.wh");
        assertEquals("whinny", data.body());
        assertEquals("application/x-warhorse", data.headers().firstValue("Content-Type").orElse(null));
    }

    @Test
    void staticFilesOfLibraryJarsAreServedAfterTheWarsOwn() throws Exception {
        assertEquals("FROM A LIBRARY JAR", server.get("/shop/from-jar.html").body());
        assertEquals("HOME PAGE", server.get("/shop/home.html").body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/WEB-INF/web.xml", "/WEB-INF/secret.txt", "/web-inf/secret.txt", "/%57EB-INF/secret.txt",
            "/./WEB-INF/secret.txt", "/x/../WEB-INF/secret.txt", "/WEB-INF/", "/WEB-INF", "/META-INF/secret.txt",
            "/meta-inf/secret.txt", "/WEB-INF;x=y/secret.txt", "/WEB-INF/classes/com/acme/EchoServlet.class",
            "/WEB-INF/lib/assets.jar", "/%2e/WEB-INF/secret.txt"})
    void webInfAndMetaInfAreNeverServed(String path) throws Exception {
        HttpResponse<String> response = server.get("/shop" + path);
        assertTrue(response.statusCode() == 404 || response.statusCode() == 403 || response.statusCode() == 400,
                path + " answered " + response.statusCode());
        assertFalse(response.body().contains("SECRET"), response.body());
        assertFalse(response.body().contains("web-app"), response.body());
    }

    @Test
    void theSameWarRunsOnTwoContextPathsAtOnce() throws Exception {
        assertEquals(200, server.get("/other/shop/echo").statusCode());
        assertEquals("HOME PAGE", server.get("/other/shop/").body());
        assertEquals(200, server.get("/shop/echo").statusCode());
    }

    @Test
    void aContextPathCanHoldOnlyOneApp() throws Exception {
        DeploymentException error = assertThrows(DeploymentException.class, () -> server.deploy(war, "/shop"));
        assertEquals("app /shop (" + war + "): context path /shop is already taken by /shop " + war,
                error.getMessage());
        assertEquals(200, server.get("/shop/echo").statusCode());
    }

    @Test
    void closingAnAppDeletesItsUnpackedFolder() throws Exception {
        DeployedApp app = server.deploy(war, "/closing");
        List<Path> folders = unpackFolders("closing");
        assertEquals(1, folders.size(), folders.toString());
        assertTrue(Files.isRegularFile(folders.getFirst().resolve("webapp/WEB-INF/web.xml")));
        server.undeploy(app);
        app.close();
        assertEquals(List.of(), unpackFolders("closing"));
        assertEquals(null, server.container.getDeploymentByPath("/closing"));
    }

    @Test
    void anExplodedFolderIsServedInPlaceAndCanBeTheRootApp() throws Exception {
        Path exploded = work.resolve("exploded");
        WarUnpacker.unpack(war, exploded);
        DeployedApp app = server.deploy(exploded, "/");
        try {
            assertEquals("greeting=hello site=warhorse started=yes timeout=420", server.get("/echo").body());
            assertEquals("HOME PAGE", server.get("/").body());
            assertEquals("FROM A LIBRARY JAR", server.get("/from-jar.html").body());
            assertEquals(404, server.get("/WEB-INF/secret.txt").statusCode());
            assertEquals(200, server.get("/shop/echo").statusCode());
            assertEquals(1, unpackFolders("ROOT").size());
        } finally {
            server.undeploy(app);
        }
        assertTrue(Files.isRegularFile(exploded.resolve("WEB-INF/web.xml")), "the app's own folder must stay");
        assertEquals(List.of(), unpackFolders("ROOT"));
    }

    private static List<Path> unpackFolders(String name) throws IOException {
        String prefix = "warhorse-" + ProcessHandle.current().pid() + "-" + name + "-";
        try (Stream<Path> children = Files.list(work.resolve("unpacked"))) {
            return children.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
    }
}
