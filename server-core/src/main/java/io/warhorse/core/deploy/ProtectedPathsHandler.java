package io.warhorse.core.deploy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Answers 404 to any request for WEB-INF or META-INF, before the app sees it. Undertow's default servlet refuses
 * them too, but only on the exact spelling it is given; this check runs on the decoded path after removing
 * {@code .}, {@code ..}, empty segments and {@code ;parameters}, and ignores case, so {@code /%57EB-INF/web.xml},
 * {@code /./WEB-INF/}, {@code /x/../web-inf/} and a servlet mapped to {@code /*} that serves files cannot leak them.
 * Runs on the I/O thread; it only reads the path.
 */
final class ProtectedPathsHandler implements HttpHandler {

    private static final Pattern SEPARATORS = Pattern.compile("[/\\\\]");

    private final HttpHandler next;

    ProtectedPathsHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (isProtected(exchange.getRelativePath())) {
            exchange.setStatusCode(StatusCodes.NOT_FOUND);
            exchange.endExchange();
            return;
        }
        next.handleRequest(exchange);
    }

    /** True if the first real segment of {@code path} is WEB-INF or META-INF, in any case. */
    static boolean isProtected(String path) {
        if (!mentionsInf(path)) {
            return false; // nearly every request: no need to split it
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String raw : SEPARATORS.split(path)) {
            String segment = withoutParameters(raw).trim();
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        String first = segments.isEmpty() ? "" : segments.peekFirst().toUpperCase(Locale.ROOT);
        return first.equals("WEB-INF") || first.equals("META-INF");
    }

    private static boolean mentionsInf(String path) {
        for (int dash = path.indexOf('-'); dash >= 0; dash = path.indexOf('-', dash + 1)) {
            if (path.regionMatches(true, dash + 1, "INF", 0, 3)) {
                return true;
            }
        }
        return false;
    }

    private static String withoutParameters(String segment) {
        int semicolon = segment.indexOf(';');
        return semicolon < 0 ? segment : segment.substring(0, semicolon);
    }
}
