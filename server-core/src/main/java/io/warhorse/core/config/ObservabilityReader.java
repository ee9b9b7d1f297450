package io.warhorse.core.config;

import java.nio.file.Path;

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
        return new Settings.Metrics(bool("warhorse.metrics.enabled"), reader.duration("warhorse.metrics.interval", true),
                bool("warhorse.metrics.jmx"), hostPortOrNull("warhorse.metrics.graphite"), pathOrNull("warhorse.metrics.csv-dir"),
                bool("warhorse.metrics.slf4j"), reader.duration("warhorse.metrics.report-interval", true));
    }

    private Settings.Admin admin() {
        return new Settings.Admin(bool("warhorse.admin.enabled"), hostPortOrNull("warhorse.admin.bind"));
    }

    private Settings.AccessLog accessLog() {
        String file = string("warhorse.access-log.file", "a file path, \"-\" or \"\"");
        String format = string("warhorse.access-log.format", "common, combined, json or a pattern");
        if (format.isBlank()) {
            reader.problem("warhorse.access-log.format", "must be common, combined, json or a pattern, got \"\"");
        }
        return new Settings.AccessLog(file.strip(), format.strip());
    }

    private Settings.Log log() {
        String file = string("warhorse.log.file", "a file path");
        return new Settings.Log(file.equals("-") ? null : pathOrNull("warhorse.log.file"), pathOrNull("warhorse.log.config"));
    }

    private boolean bool(String path) {
        return reader.get(path, "true or false", reader.config()::getBoolean, false);
    }

    private String string(String path, String expected) {
        return reader.get(path, expected, reader.config()::getString, "");
    }

    private Path pathOrNull(String path) {
        String text = string(path, "a path");
        return text.isBlank() ? null : reader.baseOf(reader.origin(path)).resolve(text).toAbsolutePath().normalize();
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
