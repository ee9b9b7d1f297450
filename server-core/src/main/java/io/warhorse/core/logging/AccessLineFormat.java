package io.warhorse.core.logging;

import io.undertow.server.HttpServerExchange;
import java.nio.charset.StandardCharsets;

/**
 * A built-in access log format: the bytes of one line for a completed exchange. The line
 * goes straight from the formatter's buffer to bytes, without the String, the copy with a newline and the encoding
 * that Undertow's {@code AccessLogReceiver} path costs per request.
 */
interface AccessLineFormat {

    /**
     * The line's UTF-8 bytes, ending in {@code \n}, for an exchange that ended at {@code endNanos} (nanoTime) and
     * {@code endMillis} (wall clock: the line's time is the request's, not the time it is written).
     */
    byte[] line(HttpServerExchange exchange, long endNanos, long endMillis);

    /** {@code line} and a newline as UTF-8, in one copy when the line is ASCII (an escaped log line nearly always is). */
    static byte[] utf8Line(StringBuilder line) {
        int length = line.length();
        byte[] bytes = new byte[length + 1];
        for (int i = 0; i < length; i++) {
            char c = line.charAt(i);
            if (c >= 0x80) {
                return line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
            }
            bytes[i] = (byte) c;
        }
        bytes[length] = '\n';
        return bytes;
    }
}
