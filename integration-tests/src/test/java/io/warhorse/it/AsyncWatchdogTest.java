package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.warhorse.core.testing.RunningWorker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The async kind's watchdog reports a servlet that blocks one of its threads, with the stack, and counts it. */
class AsyncWatchdogTest {

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger kindLogger = (Logger) LoggerFactory.getLogger("io.warhorse.worker.async.AsyncWorkerKind");

    @BeforeEach
    void captureLog() {
        log.start();
        kindLogger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        kindLogger.detachAppender(log);
    }

    @Test
    void blockingServletIsReportedWithItsStackAndCounted() throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings("async", List.of(app("async"))))) {
            assertEquals(200, Http.get(worker.uri("/async/async?ms=300")).statusCode());
            assertEquals(0, blockedCount(worker), "an AsyncContext request holds no thread");

            assertEquals(200, Http.get(worker.uri("/async/block?ms=400")).statusCode());
            Deadline.within(Duration.ofSeconds(20), () -> blockedCount(worker) == 1);
            String report = log.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(message -> message.contains("ASYNC THREAD BLOCKED")).findFirst().orElseThrow();
            assertTrue(report.contains("Thread.sleep"), report);
            assertTrue(report.contains("io.warhorse.apps.async"), "the stack names the app's servlet: " + report);
        }
    }

    private static long blockedCount(RunningWorker worker) {
        return worker.metrics().counter("worker.async.watchdog.blocked").getCount();
    }
}
