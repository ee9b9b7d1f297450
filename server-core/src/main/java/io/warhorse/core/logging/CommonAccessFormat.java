package io.warhorse.core.logging;

import io.undertow.security.api.SecurityContext;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The NCSA {@code common} and {@code combined} access log formats, as Apache writes them
 * ({@code %h %l %u %t "%r" %s %b} plus {@code "%{Referer}i" "%{User-agent}i"}). Undertow's own attributes format
 * {@code %t} with a {@code SimpleDateFormat} held in a ThreadLocal, which a virtual thread per request builds anew
 * every time; this class formats the time once per second and shares it. Quotes, backslashes and control
 * characters inside the quoted fields are escaped as Apache does ({@code \"}, {@code \\}, {@code \xhh}), so a
 * line cannot be forged or broken by a request. One line at a time: not for concurrent use.
 */
final class CommonAccessFormat implements AccessLineFormat {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.ROOT).withZone(ZoneId.systemDefault());

    private record Second(long epochSecond, String text) {}

    private final boolean combined;
    private final ClientAddress client;
    private volatile Second second = new Second(-1, "");
    /** Reused: lines are formatted one at a time (the worker's recorder thread). */
    private final StringBuilder line = new StringBuilder(256);

    CommonAccessFormat(boolean combined, ClientAddress client) {
        this.combined = combined;
        this.client = client;
    }

    @Override
    public byte[] line(HttpServerExchange exchange, long endNanos, long endMillis) {
        StringBuilder line = this.line;
        line.setLength(0);
        escape(line, client.of(exchange)).append(" - ").append(user(exchange)).append(' ').append(time(endMillis)).append(" \"");
        escape(line, exchange.getRequestMethod().toString()).append(' ');
        escape(line, exchange.getRequestURI());
        if (!exchange.getQueryString().isEmpty()) {
            escape(line.append('?'), exchange.getQueryString());
        }
        escape(line.append(' '), exchange.getProtocol().toString()).append("\" ").append(exchange.getStatusCode()).append(' ');
        long bytes = exchange.getResponseBytesSent();
        if (bytes > 0) {
            line.append(bytes);
        } else {
            line.append('-');
        }
        if (combined) {
            quoted(line.append(' '), exchange.getRequestHeaders().getFirst(Headers.REFERER));
            quoted(line.append(' '), exchange.getRequestHeaders().getFirst(Headers.USER_AGENT));
        }
        return AccessLineFormat.utf8Line(line);
    }

    private String time(long millis) {
        long epochSecond = Math.floorDiv(millis, 1000);
        Second cached = second;
        if (cached.epochSecond() != epochSecond) {
            cached = new Second(epochSecond, TIME.format(Instant.ofEpochSecond(epochSecond)));
            second = cached;
        }
        return cached.text();
    }

    private static String user(HttpServerExchange exchange) {
        SecurityContext security = exchange.getSecurityContext();
        return security == null || security.getAuthenticatedAccount() == null ? "-"
                : security.getAuthenticatedAccount().getPrincipal().getName();
    }

    private static void quoted(StringBuilder line, String value) {
        if (value == null) {
            line.append("\"-\"");
        } else {
            escape(line.append('"'), value).append('"');
        }
    }

    static StringBuilder escape(StringBuilder line, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                line.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                line.append(c);
            }
        }
        return line;
    }
}
