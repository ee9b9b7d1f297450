package io.warhorse.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code warhorse.metrics.*}, {@code admin.*}, {@code access-log.*} and {@code log.*} into
 * {@link Settings.Observability}, reporting problems through the {@link SettingsReader} it is given.
 */
final class ObservabilityReader {

    private final SettingsReader reader;

    ObservabilityReader(SettingsReader reader) {
        this.reader = reader;
    }

    Settings.Observability read() {
        return new Settings.Observability(metrics(), admin(), accessLog(), log());
    }

    private Settings.Metrics metrics() {
        Duration interval = reader.duration("warhorse.metrics.interval", true);
        return new Settings.Metrics(bool("warhorse.metrics.enabled"), interval,
                bool("warhorse.metrics.jmx"), hostPortOrNull("warhorse.metrics.graphite"), pathOrNull("warhorse.metrics.csv-dir"),
                bool("warhorse.metrics.slf4j"), reader.duration("warhorse.metrics.report-interval", true),
                history(interval), reader.integer("warhorse.metrics.events", 1));
    }

    /**
     * At least two samples of metrics.interval, and at most 100,000 (about 9 MB of rings). Compared in nanoseconds
     * (a configured duration always fits them): {@code Duration}'s multiplying and dividing go through
     * {@code BigDecimal}, whose class initializer squares a 150,000-bit number, ~25 ms of every master's and
     * worker's start in the interpreter.
     */
    private Duration history(Duration interval) {
        Duration history = reader.duration("warhorse.metrics.history", true);
        long intervalNanos = interval.toNanos();
        long historyNanos = history.toNanos();
        if (intervalNanos > 0 && historyNanos > 0 && historyNanos / 2 < intervalNanos) {
            reader.problem("warhorse.metrics.history", "must be at least two metrics.interval (" + interval.plus(interval) + "), got " + history);
        } else if (intervalNanos > 0 && historyNanos / intervalNanos > 100_000) {
            reader.problem("warhorse.metrics.history", "keeps at most 100000 samples of metrics.interval (" + interval.multipliedBy(100_000)
                    + " at " + interval + "), got " + history);
        }
        return history;
    }

    private Settings.Admin admin() {
        return new Settings.Admin(bool("warhorse.admin.enabled"), hostPortOrNull("warhorse.admin.bind"),
                reader.integer("warhorse.admin.max-connections", 1));
    }

    private Settings.AccessLog accessLog() {
        String file = string("warhorse.access-log.file", "a file path, \"-\" or \"\"");
        String format = string("warhorse.access-log.format", "common, combined, json or a pattern");
        if (format.isBlank()) {
            reader.problem("warhorse.access-log.format", "must be common, combined, json or a pattern, got \"\"");
        }
        file = file.strip();
        if (!file.isEmpty() && !file.equals("-")) {
            file = writableFile("warhorse.access-log.file", file).toString();
        }
        return new Settings.AccessLog(file, format.strip());
    }

    private Settings.Log log() {
        String file = string("warhorse.log.file", "a file path").strip();
        Path config = pathOrNull("warhorse.log.config");
        if (config != null && !Files.isRegularFile(config)) {
            reader.problem("warhorse.log.config", "no such file: " + config);
        }
        return new Settings.Log(file.isEmpty() || file.equals("-") ? null : writableFile("warhorse.log.file", file), config);
    }

    /** Relative to the file that names it; its folder must exist, so a typo stops warhorse at start. */
    private Path writableFile(String path, String text) {
        Path file = reader.resolve(path, text);
        if (Files.isDirectory(file)) {
            reader.problem(path, file + " is a folder; give a file");
        } else if (!Files.isDirectory(file.getParent())) {
            reader.problem(path, "folder " + file.getParent() + " does not exist");
        }
        return file;
    }

    private boolean bool(String path) {
        return reader.get(path, "true or false", reader.config()::getBoolean, false);
    }

    private String string(String path, String expected) {
        return reader.get(path, expected, reader.config()::getString, "");
    }

    private Path pathOrNull(String path) {
        String text = string(path, "a path");
        return text.isBlank() ? null : reader.resolve(path, text);
    }

    private HostPort hostPortOrNull(String path) {
        String text = string(path, "HOST:PORT");
        if (text.isBlank()) {
            return null;
        }
        try {
            return HostPort.parse(text.strip());
        } catch (IllegalArgumentException e) {
            reader.problem(path, e.getMessage());
            return null;
        }
    }
}
