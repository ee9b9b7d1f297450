package io.warhorse.core.edge;

import io.undertow.protocols.http2.HeaderFieldLimit;
import io.undertow.protocols.http2.Http2StreamSourceChannel;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http2.Http2ServerConnection;
import io.undertow.UndertowOptions;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.Protocols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The checks a request passes before anything else sees it, for what Undertow's parser lets through or answers
 * badly: a version other than HTTP/1.0, 1.1 or 2 gets 505; a Transfer-Encoding other than a single final
 * {@code chunked} gets 501 (an unknown coding) or 400 (anything else), and the connection is closed, since the
 * body's framing is then unknown (request smuggling), as does a chunked body whose framing is broken
 * ({@link ChunkedBodyCheck}); {@code OPTIONS *} gets 200 with {@code Allow}; too many cookies get 400 here
 * instead of an exception inside the app (Undertow parses them lazily and throws), over h2 too; too many header
 * fields over h2 get 431, also those {@link HeaderFieldLimit} stopped while the block was decoded (more than 127 of
 * one name, which Undertow's header map cannot hold).
 * Runs on the connection's I/O thread, for every request.
 */
public final class StrictHttp implements HttpHandler {

    /** What {@code OPTIONS *} answers: the methods a servlet container serves. */
    static final String ALLOW = "GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH";

    private final int maxHeaders;
    private final HttpHandler next;

    /** @param maxHeaders {@code http.max-headers}, which this enforces on HTTP/2 requests */
    public StrictHttp(int maxHeaders, HttpHandler next) {
        this.maxHeaders = maxHeaders;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HttpString protocol = exchange.getProtocol();
        if (!protocol.equals(Protocols.HTTP_1_1) && !protocol.equals(Protocols.HTTP_1_0)
                && !protocol.equals(Protocols.HTTP_2_0)) {
            refuse(exchange, 505);
            return;
        }
        int framing = transferEncodingProblem(exchange);
        if (framing != 0) {
            refuse(exchange, framing);
            return;
        }
        if (exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING) && !ChunkedBodyCheck.check(exchange)) {
            refuse(exchange, 400);
            return;
        }
        if (exchange.getRequestMethod().equals(Methods.OPTIONS) && exchange.getRequestURI().equals("*")) {
            exchange.getResponseHeaders().put(Headers.ALLOW, ALLOW);
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
            exchange.endExchange();
            return;
        }
        if (tooManyCookies(exchange)) {
            refuse(exchange, 400);
            return;
        }
        if (tooManyHttp2Fields(exchange, maxHeaders) || overFieldLimit(exchange)) {
            refuse(exchange, 431);
            return;
        }
        next.handleRequest(exchange);
    }

    /** 0 when Transfer-Encoding is absent or exactly one final chunked; 501 for a coding we do not know; else 400. */
    static int transferEncodingProblem(HttpServerExchange exchange) {
        HeaderValues values = exchange.getRequestHeaders().get(Headers.TRANSFER_ENCODING);
        if (values == null) {
            return 0;
        }
        List<String> codings = new ArrayList<>();
        for (String value : values) {
            for (String coding : value.split(",", -1)) {
                codings.add(coding.strip().toLowerCase(Locale.ROOT));
            }
        }
        if (codings.equals(List.of("chunked"))) {
            return 0;
        }
        for (String coding : codings) {
            if (!coding.equals("chunked")) {
                return coding.isEmpty() || !coding.chars().allMatch(StrictHttp::tokenChar) ? 400 : 501;
            }
        }
        return 400; // chunked twice
    }

    private static boolean tokenChar(int c) {
        return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    /**
     * More cookie pairs than Undertow's MAX_COOKIES, counted over every Cookie field (h2 clients split the header
     * into one field per cookie, which Undertow's own limit then misses; HTTP/1.1 ones hit it inside the app).
     */
    private static boolean tooManyCookies(HttpServerExchange exchange) {
        HeaderValues fields = exchange.getRequestHeaders().get(Headers.COOKIE);
        if (fields == null) {
            return false;
        }
        int max = exchange.getConnection().getUndertowOptions().get(UndertowOptions.MAX_COOKIES, UndertowOptions.DEFAULT_MAX_COOKIES);
        int pairs = 0;
        for (String field : fields) {
            pairs += 1;
            for (int i = field.indexOf(';'); i >= 0; i = field.indexOf(';', i + 1)) {
                pairs++;
            }
        }
        return pairs > max;
    }

    /**
     * More header fields than {@code max} on an HTTP/2 request. Undertow's HTTP/1.1 parser answers that itself; its
     * h2 decoder resets the stream, unanswered, so EdgeListener lifts its count for h2 over TLS and it is done here.
     */
    /** An h2 request whose header block went over a limit while it was decoded, its fields in excess dropped. */
    private static boolean overFieldLimit(HttpServerExchange exchange) {
        if (exchange.getConnection() instanceof Http2ServerConnection connection) {
            Http2StreamSourceChannel stream = Http2Connections.stream(connection);
            return stream != null && HeaderFieldLimit.refused(Http2Connections.channel(connection), stream.getStreamId());
        }
        return false;
    }

    private static boolean tooManyHttp2Fields(HttpServerExchange exchange, int max) {
        if (!exchange.getProtocol().equals(Protocols.HTTP_2_0)) {
            return false;
        }
        int fields = 0;
        for (HeaderValues values : exchange.getRequestHeaders()) {
            fields += values.size();
        }
        return fields > max;
    }

    /**
     * Answers {@code status} and closes an HTTP/1 connection without reading the request's body: its framing is
     * unknown or broken (Undertow would read it to the end first, and drop the connection, unanswered, where its
     * decoder fails).
     */
    private static void refuse(HttpServerExchange exchange, int status) {
        exchange.setStatusCode(status);
        closeAfter(exchange);
        if (!exchange.getProtocol().equals(Protocols.HTTP_2_0)) {
            exchange.setPersistent(false);
            Connectors.terminateRequest(exchange);
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
        exchange.endExchange();
    }

    /** HTTP/1: {@code Connection: close}, after which Undertow closes; HTTP/2 has no such header, its stream just ends. */
    static void closeAfter(HttpServerExchange exchange) {
        if (!exchange.getProtocol().equals(Protocols.HTTP_2_0)) {
            exchange.getResponseHeaders().put(Headers.CONNECTION, "close");
        }
    }
}
