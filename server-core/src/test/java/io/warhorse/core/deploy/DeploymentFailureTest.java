package io.warhorse.core.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Apps that must not start: each failure is one line naming the app, and leaves nothing behind. */
@Timeout(60)
class DeploymentFailureTest {

    @TempDir
    Path work;
    TestServer server;

    @BeforeEach
    void start() {
        server = new TestServer(work.resolve("unpacked"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aZipSlipEntryIsRejectedAndNothingIsWrittenOutsideTheApp() throws Exception {
        Path war = work.resolve("evil.war");
        WarBuilder.writeZip(war, Map.of("index.html", bytes("hi"), "../../escaped.txt", bytes("pwned")));
        DeploymentException error = assertThrows(DeploymentException.class, () -> server.deploy(war, "/evil"));
        assertEquals("app /evil (" + war + "): unsafe entry '../../escaped.txt' points outside the WAR (zip-slip);"
                + " refusing to unpack it", error.getMessage());
        assertFalse(Files.exists(work.resolve("escaped.txt")));
        assertFalse(Files.exists(work.resolve("unpacked/escaped.txt")));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void anAbsoluteEntryIsRejectedToo() throws Exception {
        Path war = work.resolve("abs.war");
        WarBuilder.writeZip(war, Map.of("/tmp/warhorse-absolute.txt", bytes("pwned")));
        DeploymentException error = assertThrows(DeploymentException.class, () -> server.deploy(war, "/abs"));
        assertTrue(error.getMessage().contains("zip-slip"), error.getMessage());
    }

    @Test
    void aFileThatIsNotAZipIsOneClearLine() throws Exception {
        Path war = Files.writeString(work.resolve("junk.war"), "this is not a zip file");
        DeploymentException error = assertThrows(DeploymentException.class, () -> server.deploy(war, "/junk"));
        assertEquals("app /junk (" + war + "): not a WAR (not a zip file)", error.getMessage());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aLibraryJarThatIsNotAZipIsNamed() throws Exception {
        Path war = new WarBuilder(work).binary("WEB-INF/lib/broken.jar", bytes("this is not a jar"))
                .build(work.resolve("brokenjar.war"));
        DeploymentException error = assertThrows(DeploymentException.class, () -> server.deploy(war, "/brokenjar"));
        assertEquals("app /brokenjar (" + war + "): WEB-INF/lib/broken.jar is not a valid jar (not a zip file)",
                error.getMessage());
        assertNothingLeft("/brokenjar");
    }

    @Test
    void aClassEntryThatCannotBeInflatedIsNamed() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
            zip.putNextEntry(new ZipEntry("x/A.class"));
            zip.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 69});
            zip.closeEntry();
        }
        byte[] damaged = zipped.toByteArray();
        damaged[30 + "x/A.class".length()] = (byte) 0xFF; // the deflated data starts with a block of the reserved type
        Path war = new WarBuilder(work).binary("WEB-INF/lib/damaged.jar", damaged).build(work.resolve("damaged.war"));
        DeploymentException error = assertThrows(DeploymentException.class, () -> server.deploy(war, "/damaged"));
        assertEquals("app /damaged (" + war + "): WEB-INF/lib/damaged.jar!/x/A.class cannot be read: invalid block type",
                error.getMessage());
        assertNothingLeft("/damaged");
    }

    @Test
    void aMissingPathIsOneClearLine() {
        Path war = work.resolve("nowhere.war");
        DeploymentException error = assertThrows(DeploymentException.class, () -> server.deploy(war, "/nowhere"));
        assertEquals("app /nowhere (" + war + "): does not exist", error.getMessage());
    }

    @Test
    void aListenerThatThrowsFailsTheDeploymentWithTheAppsException() throws Exception {
        Path war = new WarBuilder(work)
                .webXml("<listener><listener-class>com.acme.Boot</listener-class></listener>")
                .source("com/acme/Boot.java", """
                        package com.acme;
                        import jakarta.servlet.*;
                        public class Boot implements ServletContextListener {
                            @Override public void contextInitialized(ServletContextEvent event) {
                                throw new IllegalStateException("db down");
                            }
                        }
                        """)
                .build(work.resolve("boot.war"));
        DeploymentException error = assertThrows(DeploymentException.class, () -> server.deploy(war, "/boot"));
        assertEquals("app /boot (" + war + "): listener com.acme.Boot failed: IllegalStateException: db down",
                error.getMessage());
        assertInstanceOf(IllegalStateException.class, error.getCause());
        assertNothingLeft("/boot");
    }

    @Test
    void anInitializerThatThrowsFailsTheDeployment() throws Exception {
        WarBuilder war = new WarBuilder(work);
        war.jar("setup.jar", war.jarBuilder()
                .source("com/lib/Setup.java", """
                        package com.lib;
                        import jakarta.servlet.*;
                        import java.util.Set;
                        public class Setup implements ServletContainerInitializer {
                            @Override public void onStartup(Set<Class<?>> classes, ServletContext context) {
                                throw new IllegalArgumentException("no config");
                            }
                        }
                        """)
                .file("META-INF/services/jakarta.servlet.ServletContainerInitializer", "com.lib.Setup\n"));
        Path built = war.build(work.resolve("setup.war"));
        DeploymentException error = assertThrows(DeploymentException.class, () -> server.deploy(built, "/setup"));
        assertEquals("app /setup (" + built + "): initializer com.lib.Setup failed: IllegalArgumentException: no config",
                error.getMessage());
        assertNothingLeft("/setup");
    }

    @ParameterizedTest
    @ValueSource(strings = {"IllegalStateException", "ServletException"})
    void aLoadOnStartupServletWhoseInitThrowsFailsTheDeployment(String exception) throws Exception {
        Path war = new WarBuilder(work)
                .webXml("""
                        <servlet><servlet-name>broken</servlet-name><servlet-class>com.acme.Broken</servlet-class>
                          <load-on-startup>1</load-on-startup></servlet>
                        <servlet-mapping><servlet-name>broken</servlet-name><url-pattern>/b</url-pattern></servlet-mapping>
                        """)
                .source("com/acme/Broken.java", """
                        package com.acme;
                        import jakarta.servlet.ServletException;
                        import jakarta.servlet.http.HttpServlet;
                        public class Broken extends HttpServlet {
                            @Override public void init() throws ServletException {
                                throw new %s("cache\\nwarmup failed");
                            }
                        }
                        """.formatted(exception))
                .build(work.resolve("broken.war"));
        DeploymentException error = assertThrows(DeploymentException.class, () -> server.deploy(war, "/broken"));
        assertEquals("app /broken (" + war + "): servlet broken (com.acme.Broken) failed in init: "
                + exception + ": cache warmup failed", error.getMessage());
        assertEquals(exception, error.getCause().getClass().getSimpleName());
        assertNothingLeft("/broken");
    }

    @Test
    void aServletClassMissingFromTheWarIsNamed() throws Exception {
        Path war = new WarBuilder(work)
                .webXml("<servlet><servlet-name>ghost</servlet-name><servlet-class>com.acme.Ghost</servlet-class></servlet>")
                .build(work.resolve("ghost.war"));
        DeploymentException error = assertThrows(DeploymentException.class, () -> server.deploy(war, "/ghost"));
        assertEquals("app /ghost (" + war + "): servlet ghost: class com.acme.Ghost is not in the WAR",
                error.getMessage());
        assertNothingLeft("/ghost");
    }

    @Test
    void staleFoldersOfDeadProcessesAreRemovedAtStart() throws Exception {
        Path parent = Files.createDirectories(work.resolve("stale"));
        long deadPid = new ProcessBuilder("true").start().onExit().get().pid();
        Path stale = Files.createDirectories(parent.resolve("warhorse-" + deadPid + "-shop-123/webapp"));
        Path mine = Files.createDirectories(parent.resolve("warhorse-" + ProcessHandle.current().pid() + "-x-1"));
        Path other = Files.createDirectories(parent.resolve("unrelated"));
        WarDeployer.create(TestServer.deploySettings(parent), new com.codahale.metrics.MetricRegistry());
        assertFalse(Files.exists(stale.getParent()));
        assertTrue(Files.exists(mine));
        assertTrue(Files.exists(other));
    }

    private void assertNothingLeft(String contextPath) throws IOException {
        assertNull(server.container.getDeploymentByPath(contextPath));
        assertEquals(List.of(), leftovers());
    }

    private List<Path> leftovers() throws IOException {
        Path parent = work.resolve("unpacked");
        if (!Files.exists(parent)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(parent)) {
            return children.toList();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
