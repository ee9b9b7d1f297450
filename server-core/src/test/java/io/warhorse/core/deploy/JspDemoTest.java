package io.warhorse.core.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jetty's JSP demo WAR, unmodified, rendered by Jasper: scriptlets, EL, JSTL from the container's class path, a
 * tag file, TLD tags, a {@code <jsp-file>} servlet; and the spec demo's page registered with {@code addJspFile}.
 * The worker-kind runs in the integration tests; here the pages themselves.
 */
@Timeout(120)
class JspDemoTest {

    @TempDir
    static Path work;
    static TestServer server;

    @BeforeAll
    static void deploy() throws Exception {
        server = new TestServer(work);
        server.deploy(TestServer.testWar("jetty-ee10-demo-jsp-webapp"), "/jsp");
        server.deploy(TestServer.testWar("jetty-ee10-demo-spec-webapp"), "/spec");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void indexJspIsTheWelcomePage() throws Exception {
        assertRendered("/jsp/", "Eclipse Jetty JSP Demo Webapp");
        assertRendered("/jsp/", "JSP Examples on ");
    }

    @Test
    void expressionLanguageComputes() throws Exception {
        String body = assertRendered("/jsp/expr.jsp?A=21", "JSP2.0 Expressions");
        assertTrue(body.contains("<td>42&nbsp;</td>"), body);
    }

    @Test
    void scriptletsRun() throws Exception {
        String body = assertRendered("/jsp/dump.jsp?who=warhorse", "JSP Dump");
        assertTrue(body.contains("/jsp/dump.jsp"), body);
        assertTrue(body.contains("warhorse"), body);
    }

    @Test
    void tagFilesAndTagLibrariesWork() throws Exception {
        String body = assertRendered("/jsp/tagfile.jsp", "A panel in a panel.");
        assertFalse(body.contains("acme:panel"), body);
        assertRendered("/jsp/tag2.jsp", "in the year");
    }

    @Test
    void jstlFromTheContainerAndJspFileServlet() throws Exception {
        String body = assertRendered("/jsp/foo/", "FOO Example");
        assertTrue(body.replaceAll("\\s+", " ").contains("1 <br /> 2 <br />"), body);
        assertFalse(body.contains("c:forEach"), body);
        assertRendered("/jsp/jstl.jsp", "JSTL Example");
    }

    @Test
    void pageAddedWithAddJspFileRenders() throws Exception {
        assertRendered("/spec/dynamicjsp/x", "Programmatically Added Jsp File");
    }

    @Test
    void pagesCompileIntoTheAppsOwnFolder() throws Exception {
        assertRendered("/jsp/jstl.jsp", "JSTL Example");
        try (Stream<Path> files = Files.walk(work)) {
            assertTrue(files.anyMatch(f -> f.toString().contains("jsp") && f.toString().endsWith("jstl_jsp.class")),
                    "compiled page under the deploy temp folder");
        }
    }

    private static String assertRendered(String path, String expected) throws Exception {
        HttpResponse<String> response = server.get(path);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        assertTrue(response.body().contains(expected), path + ": " + response.body());
        assertFalse(response.body().contains("<%"), path + " sent JSP source");
        return response.body();
    }
}
