package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.testing.RunningWorker;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JSP on every worker kind: Jetty's JSP demo WAR unmodified (EL, scriptlets, a tag file, JSTL from the container,
 * a {@code <jsp-file>} servlet) and the {@code jsp} sample app; no answer carries JSP source. On the async kind a
 * page runs on the JSP pool, never on the kind's own few threads.
 */
class JspKindsTest {

    @ParameterizedTest
    @ValueSource(strings = {"sync", "virtual", "async"})
    void jspDemoAndSampleRenderOnEveryKind(String kind) throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings(kind,
                List.of(app("jetty-ee10-demo-jsp-webapp", "/demo-jsp"), app("jsp"))))) {
            assertPage(worker, "/demo-jsp/", "Eclipse Jetty JSP Demo Webapp");
            assertTrue(assertPage(worker, "/demo-jsp/expr.jsp?A=21", "JSP2.0 Expressions").contains("42&nbsp;"));
            assertPage(worker, "/demo-jsp/dump.jsp", "JSP Dump");
            assertPage(worker, "/demo-jsp/tagfile.jsp", "A panel in a panel.");
            assertPage(worker, "/demo-jsp/foo/", "FOO Example");
            assertEquals(404, Http.get(worker.uri("/demo-jsp/dump.jsp/")).statusCode());
            String sample = assertPage(worker, "/jsp/?n=3", "3 squared is 9");
            assertTrue(sample.contains("1,234,567.89"), sample);
            String thread = sample.substring(sample.indexOf("rendered on ") + 12, sample.indexOf("</p>",
                    sample.indexOf("rendered on ")));
            switch (kind) {
                case "sync" -> assertTrue(thread.matches("sync-\\d+"), thread);
                case "virtual" -> assertEquals("a virtual thread", thread);
                case "async" -> assertTrue(thread.matches("async-blocking-\\d+"), thread);
                default -> throw new AssertionError(kind);
            }
        }
    }

    private static String assertPage(RunningWorker worker, String path, String expected) throws Exception {
        HttpResponse<String> response = Http.get(worker.uri(path));
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        assertTrue(response.body().contains(expected), path + ": " + response.body());
        assertFalse(response.body().contains("<%"), path + " sent JSP source");
        return response.body();
    }
}
