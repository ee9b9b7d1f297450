package io.warhorse.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sets up logging for a warhorse process, in code rather than a logback.xml so that no file on an app's or a
 * test's class path is taken for ours: one line per event on stderr, {@code time level [thread] logger: message},
 * root level from {@code warhorse.log-level}. java.util.logging is routed to SLF4J; Undertow's jboss-logging
 * finds Logback by itself. Call once, early, on the main thread.
 */
public final class Logging {

    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36}: %msg%n";

    private Logging() {}

    /** @param level TRACE, DEBUG, INFO, WARN or ERROR */
    public static void configure(String level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J provider was put on the class path on purpose: leave it be
        }
        context.reset();
        propagateLevelsToJul(context);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level rootLevel = Level.toLevel(level, Level.INFO);
        root.setLevel(rootLevel);
        root.addAppender(stderr(context));
        if (rootLevel.isGreaterOrEqual(Level.INFO)) {
            quietLibraries(context);
        }
        // Jasper warns, for each app, that the schemas of validation it never does are missing (they ship in
        // Tomcat's servlet API, which the container's replaces), and lists jars without tag libraries at INFO.
        context.getLogger("org.apache.tomcat.util.descriptor.DigesterFactory").setLevel(Level.ERROR);
        context.getLogger("org.apache.jasper.servlet.TldScanner").setLevel(Level.WARN);
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    /**
     * XNIO and Undertow announce their versions at INFO in every worker; only their warnings matter. A worker calls
     * this first thing, as it starts XNIO on another thread before its settings (and their log level) are read.
     */
    public static void quietLibraries() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            quietLibraries(context);
        }
    }

    private static void quietLibraries(LoggerContext context) {
        for (String chatty : new String[] {"org.xnio", "io.undertow", "org.jboss"}) {
            context.getLogger(chatty).setLevel(Level.WARN);
        }
    }

    /** Keeps JUL's levels in step with Logback's, so disabled JUL records are dropped before the bridge (cheap). */
    private static void propagateLevelsToJul(LoggerContext context) {
        LevelChangePropagator propagator = new LevelChangePropagator();
        propagator.setContext(context);
        propagator.setResetJUL(true);
        context.addListener(propagator);
        propagator.start();
    }

    private static ConsoleAppender<ILoggingEvent> stderr(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}
