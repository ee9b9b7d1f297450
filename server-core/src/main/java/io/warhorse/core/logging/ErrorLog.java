package io.warhorse.core.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import io.warhorse.core.config.Settings;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * warhorse's own log (SLF4J over Logback), for the master and every worker: {@code log.config} (a logback.xml)
 * if given; else {@link Logging}'s one-line format at {@code log-level}, on standard error or appended to
 * {@code log.file}. {@link #reopen} has the file appender open its path anew; the swap happens under the appender's
 * own write lock, so no event is dropped. Called on the main thread, and on a signal's thread.
 */
public final class ErrorLog {

    private static final String FILE_APPENDER = "file";
    /** As on stderr, plus the pid: the master and its workers append to one file. */
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level " + ProcessHandle.current().pid()
            + " [%thread] %logger{36}: %msg%n";
    private static volatile Path file;

    private ErrorLog() {}

    public static void configure(Settings settings) {
        Settings.Log log = settings.observability().log();
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        if (log.config() != null) {
            configureFrom(context, log.config());
            return;
        }
        Logging.configure(settings.logLevel());
        file = log.file();
        if (file != null) {
            ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            root.addAppender(fileAppender(context, file));
            root.detachAppender("stderr");
        }
    }

    private static void configureFrom(LoggerContext context, Path config) {
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config.toFile());
        } catch (JoranException e) {
            System.err.println("warhorse: cannot read the log configuration " + config + ": " + e.getMessage());
        }
    }

    /** Reopens {@code log.file}, if warhorse writes one: the same appender opens the path anew, under its lock. */
    public static void reopen() {
        Path current = file;
        if (current == null || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        if (context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(FILE_APPENDER) instanceof FileAppender<ILoggingEvent> appender) {
            try {
                appender.openFile(current.toString());
            } catch (IOException e) {
                System.err.println("warhorse: cannot reopen the log file " + current + ": " + e);
            }
        }
    }

    private static FileAppender<ILoggingEvent> fileAppender(LoggerContext context, Path path) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName(FILE_APPENDER);
        appender.setFile(path.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}
