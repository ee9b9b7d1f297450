package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.testing.RunningWorker;
import java.net.http.HttpResponse;
import java.util.regex.Pattern;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every sample app on every worker kind, over real HTTP, with the apps deployed side by side on their own paths. */
class SampleAppsTest {

    @ParameterizedTest
    @ValueSource(strings = {"sync", "virtual", "async"})
    void everySampleAppServesOnEveryKind(String kind) throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings(kind, List.of(app("hello"), app("slowdb"), app("async"), app("cpu"), app("demo"))))) {
            assertHello(worker);
            assertSlowDb(worker);
            assertAsync(worker);
            assertCpu(worker);
            HttpResponse<String> demo = Http.get(worker.uri("/demo/"));
            assertEquals(200, demo.statusCode());
            assertTrue(demo.body().contains("warhorse"), demo.body());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "virtual", "async"})
    void servletRunsOnTheKindsThreads(String kind) throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings(kind, List.of(app("hello"))))) {
            String json = Http.get(worker.uri("/hello/whoami")).body();
            assertTrue(json.contains("\"worker\":\"" + kind + "\""), json);
            assertTrue(json.contains("\"pid\":" + ProcessHandle.current().pid()), json);
            String thread = field(json, "thread");
            boolean virtual = json.contains("\"isVirtual\":true");
            switch (kind) {
                case "sync" -> assertTrue(thread.matches("sync-\\d+") && !virtual, json);
                case "virtual" -> assertTrue(thread.matches("vt-\\d+") && virtual, json);
                case "async" -> assertTrue(thread.matches("async-\\d+") && !virtual, json);
                default -> throw new AssertionError(kind);
            }
        }
    }

    /**
     * An exception the app does not catch is a 500 whose page shows no stack trace by default, not even to a client
     * on 127.0.0.1 (Undertow's own default shows it to loopback clients, which behind a proxy on the same host is
     * every client); {@code deploy.stack-traces = local} shows it, for development. A locale without a country is
     * sent as its language tag ({@code en}), where Undertow sent {@code en-}.
     */
    @Test
    void aFailingAppShowsNoStackTraceByDefaultAndContentLanguageIsALanguageTag() throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings("virtual", List.of(app("hello"))))) {
            HttpResponse<String> failed = Http.get(worker.uri("/hello/fail"));
            assertEquals(500, failed.statusCode());
            assertFalse(failed.body().contains("IllegalStateException") || failed.body().contains("FailServlet"), failed.body());
            assertEquals("en", language(worker, "en"));
            assertEquals("de-CH", language(worker, "de-CH"));
            assertEquals("fr", language(worker, "fr;q=0.9"));
        }
        try (RunningWorker worker = RunningWorker.start(Wars.settings("virtual", List.of(app("hello")),
                "warhorse.deploy.stack-traces", "local"))) {
            HttpResponse<String> failed = Http.get(worker.uri("/hello/fail"));
            assertEquals(500, failed.statusCode());
            assertTrue(failed.body().contains("java.lang.IllegalStateException: FailServlet failed on purpose"), failed.body());
        }
    }

    private static String language(RunningWorker worker, String acceptLanguage) throws Exception {
        HttpResponse<String> response = Http.CLIENT.send(java.net.http.HttpRequest.newBuilder(worker.uri("/hello/headers"))
                .header("Accept-Language", acceptLanguage).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.headers().firstValue("Content-Language").orElse("(none)");
    }

    private static void assertHello(RunningWorker worker) throws Exception {
        HttpResponse<String> hello = Http.get(worker.uri("/hello/hello"));
        assertEquals(200, hello.statusCode());
        assertTrue(hello.body().startsWith("Hello"), hello.body());
        assertEquals(404, Http.get(worker.uri("/hello/WEB-INF/web.xml")).statusCode());
    }

    private static void assertSlowDb(RunningWorker worker) throws Exception {
        HttpResponse<String> query = Http.get(worker.uri("/slowdb/query?ms=20"));
        assertEquals(200, query.statusCode(), query.body());
        assertTrue(query.body().contains("20"), query.body());
        assertEquals(400, Http.get(worker.uri("/slowdb/query?ms=soon")).statusCode());
        assertEquals(200, Http.get(worker.uri("/slowdb/health")).statusCode());
    }

    private static void assertAsync(RunningWorker worker) throws Exception {
        HttpResponse<String> async = Http.get(worker.uri("/async/async?ms=20"));
        assertEquals(200, async.statusCode(), async.body());
        assertTrue(async.body().contains("20"), async.body());
        String payload = "echo me \u00e9 " + "x".repeat(100_000);
        HttpResponse<String> echo = Http.post(worker.uri("/async/echo"), payload, "text/plain; charset=UTF-8");
        assertEquals(200, echo.statusCode());
        assertEquals(payload, echo.body());
    }

    private static void assertCpu(RunningWorker worker) throws Exception {
        HttpResponse<String> first = Http.get(worker.uri("/cpu/cpu?n=1000"));
        assertEquals(200, first.statusCode(), first.body());
        assertEquals(first.body(), Http.get(worker.uri("/cpu/cpu?n=1000")).body(), "the same n must give the same result");
        assertEquals(400, Http.get(worker.uri("/cpu/cpu?n=-3")).statusCode());
    }

    static String field(String json, String name) {
        var matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        assertTrue(matcher.find(), name + " missing in " + json);
        return matcher.group(1);
    }
}
