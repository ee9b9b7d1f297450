package io.warhorse.core.logging;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.accesslog.AccessLogHandler;
import io.warhorse.core.Threads;
import io.warhorse.core.config.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A worker's access log: {@code common}, {@code combined} and {@code json} formatted here straight to bytes (see
 * {@link CommonAccessFormat} and {@link AccessLineFormat} for why), any other pattern by Undertow's
 * {@link AccessLogHandler}, writing to a {@link LogFile} that {@link #reopen} reopens (USR1,
 * {@code warhorse ctl reopen-logs}). Lines are flushed every 200 ms and at {@link #close}. Created on the worker's
 * main thread; the flush runs on a thread of its own.
 */
public final class AccessLog implements AutoCloseable {

    private final Settings.AccessLog settings;
    private final LogFile file;
    private final ScheduledExecutorService flusher;
    private final AccessLineFormat lines;

    private AccessLog(Settings.AccessLog settings, LogFile file, ScheduledExecutorService flusher) {
        this.settings = settings;
        this.file = file;
        this.flusher = flusher;
        ClientAddress client = new ClientAddress();
        this.lines = switch (settings.format()) {
            case "json" -> new JsonAccessFormat(client);
            case "common", "combined" -> new CommonAccessFormat(settings.format().equals("combined"), client);
            default -> null; // an Undertow pattern
        };
    }

    /** Opens the log the settings name; null when the access log is off. */
    public static AccessLog open(Settings.AccessLog settings, Threads threads) throws IOException {
        if (!settings.enabled()) {
            return null;
        }
        LogFile file = LogFile.open(settings.file().equals("-") ? null : Path.of(settings.file()));
        ScheduledExecutorService flusher = threads.scheduler("access-log-flush");
        flusher.scheduleWithFixedDelay(file::flush, 200, 200, TimeUnit.MILLISECONDS);
        return new AccessLog(settings, file, flusher);
    }

    /** Whether the format is one of warhorse's (common, combined, json), logged by {@link #log}. */
    public boolean builtIn() {
        return lines != null;
    }

    /**
     * Logs, in a built-in format, an exchange that completed at {@code endNanos} (nanoTime) and {@code endMillis}
     * (wall clock); called by the worker's recorder of completed requests, one call at a time.
     */
    public void log(HttpServerExchange exchange, long endNanos, long endMillis) {
        file.append(lines.line(exchange, endNanos, endMillis));
    }

    /** For an Undertow pattern: Undertow's handler around {@code next}. For a built-in format: {@code next}. */
    public HttpHandler wrap(HttpHandler next) {
        return builtIn() ? next : new AccessLogHandler(next, file, settings.format(), AccessLog.class.getClassLoader());
    }

    /** Writes out what is pending and reopens the file at its path. */
    public void reopen() throws IOException {
        file.reopen();
    }

    @Override
    public void close() throws IOException {
        flusher.shutdownNow();
        file.close();
    }
}
