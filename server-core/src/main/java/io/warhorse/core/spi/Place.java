package io.warhorse.core.spi;

import java.util.Locale;

/**
 * Where a route's requests run: on the worker kind's own threads, on virtual threads, or on a small pool of
 * platform threads. Spelled in lower case in {@code offload.routes}' {@code run-on} and on the status page.
 */
public enum Place {
    KIND, VIRTUAL, PLATFORM;

    /** The place {@code run-on} names; the reader has checked the spelling. */
    public static Place of(String runOn) {
        return valueOf(runOn.toUpperCase(Locale.ROOT));
    }

    public String spelled() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What the operator reads in a log line: "the kind's own threads", "virtual threads", "platform threads". */
    public String described() {
        return this == KIND ? "the kind's own threads" : spelled() + " threads";
    }
}
