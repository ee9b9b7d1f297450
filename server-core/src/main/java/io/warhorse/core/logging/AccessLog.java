package io.warhorse.core.logging;

import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.accesslog.AccessLogHandler;
import io.warhorse.core.Threads;
import io.warhorse.core.config.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A worker's access log: Undertow's {@link AccessLogHandler} with {@code common}, {@code combined} and {@code json}
 * formatted here (see {@link CommonAccessFormat} for why), any other pattern by Undertow, writing to a {@link LogFile} that {@link #reopen} reopens (USR1,
 * {@code warhorse ctl reopen-logs}). Lines are flushed every 200 ms and at {@link #close}. Created on the worker's
 * main thread; the flush runs on a thread of its own.
 */
public final class AccessLog implements AutoCloseable {

    private final Settings.AccessLog settings;
    private final LogFile file;
    private final ScheduledExecutorService flusher;

    private AccessLog(Settings.AccessLog settings, LogFile file, ScheduledExecutorService flusher) {
        this.settings = settings;
        this.file = file;
        this.flusher = flusher;
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

    public HttpHandler wrap(HttpHandler next) {
        String format = settings.format();
        switch (format) {
            case "json" -> {
                return new AccessLogHandler(next, file, format, new JsonAccessFormat(new ClientAddress(settings.trustedProxies())));
            }
            case "common", "combined" -> {
                return new AccessLogHandler(next, file, format, new CommonAccessFormat(format.equals("combined"), new ClientAddress(settings.trustedProxies())));
            }
            default -> { } // an Undertow pattern
        }
        return new AccessLogHandler(next, file, format, AccessLog.class.getClassLoader());
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
