package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.warhorse.core.testing.RunningWorker;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * {@code request-timeout} on every kind: a request stuck on its thread gets 504 well before it would have
 * finished, its thread is interrupted, its stack logged, and {@code requests.timeouts} counts it.
 */
class RequestTimeoutTest {

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger deadlineLogger = (Logger) LoggerFactory.getLogger("io.warhorse.core.worker.RequestDeadlines");

    @BeforeEach
    void captureLog() {
        log.start();
        deadlineLogger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        deadlineLogger.detachAppender(log);
    }

    @ParameterizedTest
    @CsvSource({
        "sync, slowdb, /slowdb/query?ms=10000&via=sleep, QueryServlet",
        "virtual, slowdb, /slowdb/query?ms=10000, FakeDatabase",
        "async, async, /async/block?ms=10000, BlockServlet"})
    void stuckRequestGets504AndItsThreadIsInterrupted(String kind, String war, String path, String frame) throws Exception {
        var settings = Wars.settings(kind, List.of(app(war)), "warhorse.request-timeout", "500ms");
        try (RunningWorker worker = RunningWorker.start(settings)) {
            HttpResponse<String> response = Http.get(worker.uri(path));
            assertEquals(504, response.statusCode(), "only the deadline answers 504, the app's 10 s query 200: " + response.body());
            assertEquals(1, worker.metrics().counter("requests.timeouts").getCount());
            String report = log.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(message -> message.startsWith("REQUEST TIMEOUT")).findFirst().orElseThrow();
            assertTrue(report.contains(frame), "the stack shows where the request was stuck: " + report);
            assertEquals(200, Http.get(worker.uri(path.replace("10000", "10"))).statusCode(), "the worker goes on serving");
            assertEquals(1, worker.metrics().counter("requests.timeouts").getCount(), "a quick request is not counted");
        }
    }
}
