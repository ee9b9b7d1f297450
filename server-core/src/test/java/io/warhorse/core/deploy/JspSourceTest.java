package io.warhorse.core.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSP source is never sent as a file: every JSP of Jetty's JSP demo WAR, asked for in the spellings that slip past a
 * {@code *.jsp} mapping, and the url-patterns of a {@code <jsp-property-group>}. Any {@code <%} in an answer fails.
 */
@Timeout(120)
class JspSourceTest {

    @TempDir
    static Path work;
    static TestServer server;
    static Path demo;

    @BeforeAll
    static void deploy() throws Exception {
        demo = TestServer.testWar("jetty-ee10-demo-jsp-webapp");
        Path war = new WarBuilder(work).webXml("""
                <jsp-config><jsp-property-group><url-pattern>/pages/*</url-pattern></jsp-property-group></jsp-config>
                """)
                .file("pages/report.html", "<% String secret = \"db-password\"; %>")
                .file("page.jspx", "<jsp:root xmlns:jsp=\"http://java.sun.com/JSP/Page\" version=\"3.1\">"
                        + "<jsp:scriptlet>int x = 6 * 7;</jsp:scriptlet>x is <jsp:expression>x</jsp:expression></jsp:root>")
                .file("index.html", "PLAIN")
                .build(work.resolve("groups.war"));
        server = new TestServer(work.resolve("unpacked"), "warhorse.jsp.precompile", "true");
        server.deploy(demo, "/jsp");
        server.deploy(war, "/groups");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void noPageOfTheJspDemoAnswersWithItsSource() throws Exception {
        List<String> pages = demoPages();
        assertTrue(pages.size() >= 10, "the demo WAR has its JSPs: " + pages);
        for (String page : pages) {
            for (String spelling : List.of(page, page + "/", page + ".", page.replace(".jsp", ".JSP"),
                    page + ";x=1", page + "%2e")) {
                assertNoSource(server.get("/jsp" + spelling), spelling);
            }
        }
    }

    @Test
    void propertyGroupPatternsAndJspxAreNeverFiles() throws Exception {
        assertNoSource(server.get("/groups/pages/report.html"), "/pages/report.html");
        HttpResponse<String> jspx = server.get("/groups/page.jspx");
        assertFalse(jspx.body().contains("jsp:root"), "JSPX source: " + jspx.body());
        assertTrue(jspx.body().contains("x is 42"), jspx.body());
        assertTrue(server.get("/groups/index.html").body().contains("PLAIN"), "other files are still served");
    }

    @Test
    void theMatcherSeesThroughTrailingCharactersAndCase() {
        JspPaths paths = JspPaths.parse("/pages/*\n/exact.txt");
        for (String path : List.of("/a.jsp", "/a.JSPX", "/a.jsp/", "/a.jsp.", "/pages", "/pages/x.html",
                "/exact.txt")) {
            assertTrue(paths.matches(path), path);
        }
        for (String path : List.of("/a.jsp.html", "/pagesx/a.html", "/exact.txt2", "/", "")) {
            assertFalse(paths.matches(path), path);
        }
    }

    private static void assertNoSource(HttpResponse<String> response, String path) {
        assertFalse(response.body().contains("<%"), path + " answered " + response.statusCode()
                + " with JSP source: " + response.body());
        assertNotEquals("application/octet-stream", response.headers().firstValue("Content-Type").orElse(""), path);
    }

    static List<String> demoPages() throws IOException {
        List<String> pages = new ArrayList<>();
        try (ZipFile zip = new ZipFile(demo.toFile())) {
            for (var entry : Collections.list(zip.entries())) {
                if (entry.getName().endsWith(".jsp") && !entry.getName().startsWith("WEB-INF/")) {
                    pages.add("/" + entry.getName());
                }
            }
        }
        return pages;
    }
}
