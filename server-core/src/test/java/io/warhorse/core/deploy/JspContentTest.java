package io.warhorse.core.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSP engine starts only for an app with JSP content: an app of servlets and static files gets none (and still
 * never serves a {@code .jsp} path as a file), while a page, a tag library in a jar, or a {@code <jsp-file>}
 * servlet each brings it.
 */
@Timeout(120)
class JspContentTest {

    private static final String PROBE = """
            package probe;
            @jakarta.servlet.annotation.WebServlet("/engine")
            public class Engine extends jakarta.servlet.http.HttpServlet {
                @Override
                protected void doGet(jakarta.servlet.http.HttpServletRequest request,
                                     jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
                    response.getWriter().print("jsp=" + (getServletContext().getServletRegistration("jsp") != null));
                }
            }
            """;

    @TempDir
    static Path work;
    static TestServer server;

    @BeforeAll
    static void deploy() throws Exception {
        server = new TestServer(work.resolve("unpacked"));
        server.deploy(probe().file("index.html", "PLAIN").build(work.resolve("plain.war")), "/plain");
        server.deploy(probe().file("page.jsp", "6 * 7 = ${6 * 7}").build(work.resolve("page.war")), "/page");
        WarBuilder taglib = new WarBuilder(work);
        taglib.file("META-INF/tags.tld", "<taglib xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"3.0\">"
                + "<tlib-version>1.0</tlib-version><short-name>t</short-name><uri>urn:t</uri></taglib>");
        server.deploy(probe().jar("tags.jar", taglib).build(work.resolve("taglib.war")), "/taglib");
        server.deploy(probe().webXml("""
                <servlet><servlet-name>report</servlet-name><jsp-file>/WEB-INF/report.jspf</jsp-file></servlet>
                <servlet-mapping><servlet-name>report</servlet-name><url-pattern>/report</url-pattern></servlet-mapping>
                """).build(work.resolve("jspfile.war")), "/jspfile");
    }

    private static WarBuilder probe() {
        return new WarBuilder(work).source("probe/Engine.java", PROBE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anAppWithoutJspContentGetsNoEngineAndStillNoJspFile() throws Exception {
        assertEquals("jsp=false", server.get("/plain/engine").body());
        assertEquals("PLAIN", server.get("/plain/index.html").body());
        for (String path : List.of("/plain/index.jsp", "/plain/a.jspx", "/plain/index.jsp/")) {
            HttpResponse<String> response = server.get(path);
            assertEquals(404, response.statusCode(), path + ": " + response.body());
        }
    }

    @Test
    void aPageATagLibraryOrAJspFileServletBringsTheEngine() throws Exception {
        assertEquals("jsp=true", server.get("/page/engine").body());
        assertEquals("6 * 7 = 42", server.get("/page/page.jsp").body().trim());
        assertEquals("jsp=true", server.get("/taglib/engine").body());
        assertEquals("jsp=true", server.get("/jspfile/engine").body());
    }

    @Test
    void jarsAreJudgedByTheirMetaInfOnly() throws Exception {
        Path jar = work.resolve("other.jar");
        WarBuilder.writeZip(jar, java.util.Map.of("docs/example.jsp", new byte[0], "x/Y.class", new byte[0]));
        Path root = java.nio.file.Files.createDirectories(work.resolve("root"));
        assertFalse(JspContent.present(root, List.of(jar), new org.jboss.metadata.web.spec.WebMetaData()));
    }
}
