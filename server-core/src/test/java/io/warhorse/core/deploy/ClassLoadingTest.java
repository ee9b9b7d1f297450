package io.warhorse.core.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.Undertow;
import jakarta.servlet.Servlet;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child-first loading: a WEB-INF/lib class shadowing one on the container's class path wins, while the Servlet API
 * and the container's own classes always come from the container, even when the WAR bundles a servlet-api jar.
 */
@Timeout(60)
class ClassLoadingTest {

    @TempDir
    static Path work;
    static TestServer server;
    static DeployedApp app;

    @BeforeAll
    static void deploy() throws Exception {
        WarBuilder war = new WarBuilder(work);
        war.webXml("""
                        <servlet><servlet-name>origin</servlet-name><servlet-class>com.acme.Origin</servlet-class></servlet>
                        <servlet-mapping><servlet-name>origin</servlet-name><url-pattern>/origin</url-pattern></servlet-mapping>
                        """)
                .source("com/acme/Origin.java", """
                        package com.acme;
                        import jakarta.servlet.http.*;
                        import java.io.IOException;
                        public class Origin extends HttpServlet {
                            @Override protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                                resp.getWriter().print("config=" + com.typesafe.config.ConfigFactory.origin()
                                    + " servlet-api-from-container=" + (HttpServlet.class.getClassLoader() != getClass().getClassLoader()));
                            }
                        }
                        """)
                .jar("fake-config.jar", war.jarBuilder().source("com/typesafe/config/ConfigFactory.java", """
                        package com.typesafe.config;
                        public class ConfigFactory { public static String origin() { return "from-the-war"; } }
                        """).source("jakarta/servlet/portlet/Portlet.java", """
                        package jakarta.servlet.portlet;
                        public class Portlet {}
                        """))
                .binary("WEB-INF/lib/jakarta.servlet-api.jar", Files.readAllBytes(servletApiJar()));
        server = new TestServer(work.resolve("unpacked"));
        app = server.deploy(war.build(work.resolve("loading.war")), "/loading");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theWarsCopyOfALibraryWinsOverTheContainers() throws Exception {
        assertEquals("config=from-the-war servlet-api-from-container=true", server.get("/loading/origin").body());
        Class<?> shadowed = app.classLoader().loadClass("com.typesafe.config.ConfigFactory");
        assertSame(app.classLoader(), shadowed.getClassLoader());
        assertTrue(app.classLoader().getResource("com/typesafe/config/ConfigFactory.class").toString()
                .contains("fake-config.jar"));
    }

    @Test
    void servletApiJdkAndContainerClassesComeFromTheContainer() throws Exception {
        assertSame(Servlet.class, app.classLoader().loadClass("jakarta.servlet.Servlet"));
        assertSame(Undertow.class, app.classLoader().loadClass("io.undertow.Undertow"));
        assertSame(WarDeployer.class, app.classLoader().loadClass(WarDeployer.class.getName()));
        assertSame(java.sql.Connection.class, app.classLoader().loadClass("java.sql.Connection"));
        assertSame(javax.sql.DataSource.class, app.classLoader().loadClass("javax.sql.DataSource"));
        assertEquals(Servlet.class.getResource("Servlet.class"),
                app.classLoader().getResource("jakarta/servlet/Servlet.class"));
    }

    @Test
    void anApiTheContainerLacksComesFromTheWar() throws Exception {
        Class<?> api = app.classLoader().loadClass("jakarta.servlet.portlet.Portlet");
        assertSame(app.classLoader(), api.getClassLoader());
        assertTrue(app.classLoader().getResource("jakarta/servlet/portlet/Portlet.class").toString()
                .contains("fake-config.jar"));
    }

    @Test
    void containerPackagesAreRecognised() {
        assertTrue(WebAppClassLoader.isContainerClass("java.lang.String"));
        assertTrue(WebAppClassLoader.isContainerClass("javax.naming.InitialContext"));
        assertTrue(WebAppClassLoader.isContainerClass("org.w3c.dom.Document"));
        assertTrue(WebAppClassLoader.isContainerClass("jakarta.servlet.http.HttpServlet"));
        assertTrue(WebAppClassLoader.isContainerClass("org.xnio.XnioWorker"));
        assertFalse(WebAppClassLoader.isContainerClass("jakarta.transaction.UserTransaction"));
        assertFalse(WebAppClassLoader.isContainerClass("org.slf4j.Logger"));
        assertFalse(WebAppClassLoader.isContainerClass("com.typesafe.config.ConfigFactory"));
    }

    private static Path servletApiJar() throws URISyntaxException {
        return Path.of(Servlet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
