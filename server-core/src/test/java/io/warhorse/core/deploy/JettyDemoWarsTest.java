package io.warhorse.core.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Third-party WARs, unmodified: Jetty's EE10 demo webapps, copied to target/test-wars by the build. The spec webapp
 * is the demanding one: web.xml + web-fragment.xml + annotations for one servlet, a listener declared twice,
 * an initializer with {@code @HandlesTypes} that calls {@code addJspFile}, classes referencing what is not bundled.
 */
@Timeout(60)
class JettyDemoWarsTest {

    @TempDir
    static Path work;
    static TestServer server;

    @BeforeAll
    static void deploy() throws Exception {
        server = new TestServer(work);
        server.deploy(TestServer.testWar("jetty-ee10-demo-simple-webapp"), "/simple");
        server.deploy(TestServer.testWar("jetty-ee10-demo-spec-webapp"), "/spec");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void simpleWebappServesItsIndexServletAndMimeMapping() throws Exception {
        assertOk("/simple/", "Hello World EE10!");
        assertOk("/simple/hello/", "HelloWorld from Servlet-");
        HttpResponse<String> icon = server.get("/simple/jetty.icon");
        assertEquals(200, icon.statusCode());
        assertEquals("image/vnd.microsoft.icon", icon.headers().firstValue("Content-Type").orElse(null));
    }

    @Test
    void specWebappServesItsIndexAndStaticFiles() throws Exception {
        assertOk("/spec/", "Servlet 6.0 Demo WebApp");
        assertOk("/spec/stylesheet.css", "");
        assertOk("/spec/fragmentA/index.html", "Welcome to a Fragment");
    }

    @Test
    void specWebappServletsFromAnnotationsAndFragments() throws Exception {
        assertOk("/spec/fragment", "Jetty Fragment Servlet");
        assertOk("/spec/classloader", "ClassLoader Isolation Test");
    }

    /**
     * The page runs its own checks and prints PASS or FAIL under a heading for each. Deploying at all proves the
     * listener declared in web.xml and by {@code @WebListener} was initialised once (a second call throws), and
     * that the servlet referencing {@code jakarta.transaction.UserTransaction}, absent from the WAR, was scanned
     * without being loaded. Not checked: Jetty's own context attributes, {@code @Resource} injection and JNDI,
     * which a plain servlet container does not provide.
     */
    @ParameterizedTest
    @ValueSource(strings = {"Init Params from Annotation", "Init Params from web-fragment", "@ContainerInitializer",
            "Complete Servlet Registration",
            "ServletContextListener Programmatic Registration from ServletContainerInitializer",
            "ServletContextListener Programmatic Registration Prevented from ServletContextListener",
            "ServletContextListener Registration Prevented from ServletContextListener", "Add Jsp File Registration",
            "ServletContextListener as @WebListener Get/Set Session Timeout", "Invalid Type for Listener Detection"})
    void specWebappAnnotationTestPagePasses(String heading) throws Exception {
        HttpResponse<String> response = server.post("/spec/test/");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("pass", verdictUnder(response.body(), heading), heading);
    }

    @Test
    void specWebappAnnotationTestSeesEveryHandledType() throws Exception {
        String body = server.post("/spec/test/").body();
        for (String name : List.of("jakarta.servlet.http.HttpServlet", "org.example.fragment.FragmentServlet",
                "org.example.test.AnnotationTest", "org.example.test.Bar", "org.example.test.TestListener")) {
            assertTrue(body.contains(name), name + " missing from " + body);
        }
    }

    @Test
    void specWebappWebXmlMappingReplacesTheAnnotations() throws Exception {
        assertTrue(server.get("/spec/").body().contains("Servlet 6.0 Demo WebApp"),
                "/ must stay the default servlet: web.xml maps AnnotationTest to /test/* only");
        assertEquals(200, server.get("/spec/test/").statusCode());
    }

    /** "pass" or "fail": the first verdict printed after {@code <h2>heading</h2>}. */
    private static String verdictUnder(String body, String heading) {
        int at = body.indexOf("<h2>" + heading + "</h2>");
        assertTrue(at >= 0, heading + " not on the page: " + body);
        int pass = body.indexOf("class=\"pass\"", at);
        int fail = body.indexOf("class=\"fail\"", at);
        if (pass < 0) {
            return "fail";
        }
        return fail >= 0 && fail < pass ? "fail" : "pass";
    }

    @Test
    void specWebappHidesWebInf() throws Exception {
        assertEquals(404, server.get("/spec/WEB-INF/web.xml").statusCode());
        assertEquals(404, server.get("/spec/web-inf/web.xml").statusCode());
        assertEquals(404, server.get("/spec/META-INF/MANIFEST.MF").statusCode());
    }

    private static void assertOk(String path, String expected) throws Exception {
        HttpResponse<String> response = server.get(path);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        assertTrue(response.body().contains(expected), path + ": " + response.body());
    }
}
