package io.warhorse.core.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @PostConstruct} once per instance, {@code @PreDestroy} at undeploy, on a servlet, a filter and a listener;
 * {@code @Resource} fields filled from {@code <env-entry>}. Each writes a line to a file the env-entry names.
 */
@Timeout(60)
class LifecycleTest {

    @TempDir
    Path work;

    @Test
    void lifecycleMethodsRunOncePerInstanceAndResourcesAreInjected() throws Exception {
        Path log = work.resolve("lifecycle.log");
        Path war = new WarBuilder(work).webXml("""
                <env-entry><env-entry-name>log</env-entry-name><env-entry-type>java.lang.String</env-entry-type>
                  <env-entry-value>%s</env-entry-value></env-entry>
                <env-entry><env-entry-name>com.acme.Page/copies</env-entry-name>
                  <env-entry-type>java.lang.Integer</env-entry-type><env-entry-value>3</env-entry-value></env-entry>
                """.formatted(log)).source("com/acme/Log.java", """
                package com.acme;
                public final class Log {
                    public static void line(String path, String text) {
                        try { java.nio.file.Files.writeString(java.nio.file.Path.of(path), text + "\\n",
                                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND); }
                        catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
                    }
                }
                """).source("com/acme/Base.java", """
                package com.acme;
                public abstract class Base extends jakarta.servlet.http.HttpServlet {
                    @jakarta.annotation.Resource(name = "log") protected String log;
                    @jakarta.annotation.PostConstruct void baseReady() { Log.line(log, "base post-construct"); }
                }
                """).source("com/acme/Page.java", """
                package com.acme;
                import jakarta.servlet.http.*;
                @jakarta.servlet.annotation.WebServlet(urlPatterns = "/page", loadOnStartup = 1)
                public class Page extends Base {
                    @jakarta.annotation.Resource private int copies;
                    @jakarta.annotation.PostConstruct void ready() { Log.line(log, "servlet post-construct copies=" + copies); }
                    @jakarta.annotation.PreDestroy void gone() { Log.line(log, "servlet pre-destroy"); }
                    @Override protected void doGet(HttpServletRequest req, HttpServletResponse resp)
                            throws java.io.IOException { resp.getWriter().print("copies=" + copies); }
                }
                """).source("com/acme/Tag.java", """
                package com.acme;
                import jakarta.servlet.*;
                @jakarta.servlet.annotation.WebFilter("/*")
                public class Tag implements Filter {
                    @jakarta.annotation.Resource(name = "log") String log;
                    @jakarta.annotation.PostConstruct void ready() { Log.line(log, "filter post-construct"); }
                    @jakarta.annotation.PreDestroy void gone() { Log.line(log, "filter pre-destroy"); }
                    @Override public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
                            throws java.io.IOException, ServletException { chain.doFilter(req, resp); }
                }
                """).source("com/acme/Start.java", """
                package com.acme;
                import jakarta.servlet.*;
                @jakarta.servlet.annotation.WebListener
                public class Start implements ServletContextListener {
                    @jakarta.annotation.Resource(name = "log") String log;
                    @jakarta.annotation.PostConstruct void ready() { Log.line(log, "listener post-construct"); }
                    @jakarta.annotation.PreDestroy void gone() { Log.line(log, "listener pre-destroy"); }
                }
                """).build(work.resolve("life.war"));
        try (TestServer server = new TestServer(work.resolve("tmp"))) {
            DeployedApp app = server.deploy(war, "/life");
            assertEquals("copies=3", server.get("/life/page").body());
            assertEquals("copies=3", server.get("/life/page").body());
            server.undeploy(app);
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals(List.of("base post-construct", "filter post-construct", "filter pre-destroy",
                "listener post-construct", "listener pre-destroy", "servlet post-construct copies=3",
                "servlet pre-destroy"), lines.stream().sorted().toList(), String.join("\n", lines));
    }
}
