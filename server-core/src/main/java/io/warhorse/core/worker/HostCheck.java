package io.warhorse.core.worker;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.HostHeaderHandler;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;

/**
 * The Host header check of every HTTP/1.1 request (RFC 9112 section 3.2: exactly one, a valid host and port), in
 * front of Undertow's {@link HostHeaderHandler}: a header that is plainly valid (a registered name or an IPv4
 * address made of the reg-name characters of RFC 3986, and an optional port of 1 to 65535 in digits) passes here
 * without Undertow's IPv4 regular expression, which cost ~1 µs of a request with an IP address in Host (~3% of a
 * "hello" request). Every other header (none or several, IP literals, percent-encoding, anything odd) and a
 * request whose target carries a host go to Undertow's handler, which answers them as it always did: this class
 * only ever lets through headers that handler lets through, and decides nothing else.
 *
 * <p>Runs on the I/O thread that read the request. One instance per root handler, kept for the next request.
 */
public final class HostCheck implements HttpHandler {

    private static final boolean[] REG_NAME = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            REG_NAME[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            REG_NAME[c] = true;
            REG_NAME[Character.toUpperCase(c)] = true;
        }
        for (char c : "-._~!$&'()*+,;=".toCharArray()) { // unreserved and sub-delims; not "%": Undertow checks those
            REG_NAME[c] = true;
        }
    }

    /** The last one made: Undertow wraps the same root handler for every request. */
    private static volatile HostCheck last;

    private final HttpHandler next;
    private final HostHeaderHandler undertow;

    private HostCheck(HttpHandler next) {
        this.next = next;
        this.undertow = new HostHeaderHandler(next);
    }

    /** The check in front of {@code next}, reused while the root handler is the same. */
    public static HostCheck around(HttpHandler next) {
        HostCheck check = last;
        if (check == null || check.next != next) {
            check = new HostCheck(next);
            last = check;
        }
        return check;
    }

    /** The root handler the last check was made for; for tests. */
    static HttpHandler lastWrapped() {
        HostCheck check = last;
        return check == null ? null : check.next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HeaderValues host = exchange.getRequestHeaders().get(Headers.HOST);
        if (host != null && host.size() == 1 && !exchange.isHostIncludedInRequestURI() && plainlyValid(host.getFirst())) {
            next.handleRequest(exchange);
        } else {
            undertow.handleRequest(exchange);
        }
    }

    /**
     * A non-empty host of reg-name characters, then either nothing or ":" and a port of 1 to 5 digits in 1..65535.
     * An IPv4 address is such a host; Undertow accepts all of these.
     */
    static boolean plainlyValid(String value) {
        int colon = value.lastIndexOf(':');
        int end = colon < 0 ? value.length() : colon;
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (c >= REG_NAME.length || !REG_NAME[c]) {
                return false;
            }
        }
        if (colon < 0) {
            return true;
        }
        int digits = value.length() - colon - 1;
        if (digits < 1 || digits > 5) {
            return false;
        }
        int port = 0;
        for (int i = colon + 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port >= 1 && port <= 65535;
    }
}
