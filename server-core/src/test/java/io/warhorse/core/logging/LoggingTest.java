package io.warhorse.core.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

class LoggingTest {

    @AfterEach
    void backToInfo() {
        Logging.configure("INFO");
    }

    @Test
    void setsTheRootLevelAndRoutesJavaUtilLogging() {
        Logging.configure("WARN");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.WARN, root.getLevel());
        assertTrue(SLF4JBridgeHandler.isInstalled());

        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.setContext(context);
        seen.start();
        root.addAppender(seen);
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("warhorse.test.jul");
        jul.info("below the level");
        jul.warning("routed");
        assertEquals(1, seen.list.size());
        assertEquals("routed", seen.list.getFirst().getFormattedMessage());
        assertEquals(Level.WARN, seen.list.getFirst().getLevel());
    }

    @Test
    void writesOneConciseLinePerEvent() {
        Logging.configure("INFO");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        var appender = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("stderr");
        assertTrue(appender instanceof ch.qos.logback.core.ConsoleAppender<?>);
        assertEquals("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36}: %msg%n", Logging.PATTERN);
    }
}
