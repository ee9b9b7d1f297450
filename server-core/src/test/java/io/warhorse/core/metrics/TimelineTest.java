package io.warhorse.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The master's events: one call logs a line and records the same words; the ring keeps the last ones only. */
class TimelineTest {

    @Test
    void oneCallWritesTheLogLineAndTheEventInTheSameWords() {
        Logger log = (Logger) LoggerFactory.getLogger("timeline-test");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        log.addAppender(appender);
        try {
            Timeline timeline = new Timeline(10, () -> 0);
            timeline.error(log, "WORKER DIED ({}): exited with {}", "worker 1 (pid:42)", "code 137 (SIGKILL)");
            assertEquals("WORKER DIED (worker 1 (pid:42)): exited with code 137 (SIGKILL)", appender.list.get(0).getFormattedMessage());
            assertEquals(appender.list.get(0).getFormattedMessage(), timeline.entries().get(0).text());
            assertEquals("error", timeline.entries().get(0).level());
            assertTrue(timeline.render().contains("ERROR  WORKER DIED (worker 1 (pid:42)): exited with code 137 (SIGKILL)"), timeline.render());
        } finally {
            log.detachAppender(appender);
        }
    }

    @Test
    void theRingKeepsTheLastEventsAndSaysHowManyItDropped() {
        AtomicLong clock = new AtomicLong();
        Timeline timeline = new Timeline(5, clock::incrementAndGet);
        Logger quiet = (Logger) LoggerFactory.getLogger("timeline-test-quiet");
        quiet.setLevel(ch.qos.logback.classic.Level.OFF);
        for (int i = 0; i < 100_000; i++) {
            timeline.info(quiet, "event {}", i);
        }
        assertEquals(5, timeline.entries().size());
        assertEquals("event 99995", timeline.entries().get(0).text());
        assertEquals(100_000, timeline.recorded());
        assertTrue(timeline.render().startsWith("(99995 older event(s) dropped; the log has them)"), timeline.render());
    }
}
