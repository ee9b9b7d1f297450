package io.warhorse.core.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
        Path wars = Path.of(System.getProperty("warhorse.test-wars", "target/test-wars"));
        server = new TestServer(work);
        server.deploy(wars.resolve("jetty-ee10-demo-simple-webapp.war"), "/simple");
        server.deploy(wars.resolve("jetty-ee10-demo-spec-webapp.war"), "/spec");
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

    @Test
    void specWebappAnnotationTestPage() throws Exception {
        HttpResponse<String> response = server.post("/spec/test/");
        assertEquals(200, response.statusCode(), response.body());
        String body = response.body();
        System.out.println(body);
        assertTrue(body.contains("<h1>Results</h1>"), body);
    }

    @Test
    void specWebappJspIsAnsweredWithoutJspSupport() throws Exception {
        assertEquals(501, server.get("/spec/dynamicjsp/x").statusCode());
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
