package io.warhorse.core.deploy;

import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ResponseCommitListener;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;

/**
 * Undertow 2.3 writes {@code Content-Language} for {@code ServletResponse.setLocale} as the locale's language, a
 * hyphen and its country, so a locale without a country ({@code Locale.ENGLISH}: what Spring MVC and JSTL's
 * {@code fmt:setLocale} set for a browser's {@code Accept-Language: en}) is sent as {@code en-}, which is no language
 * tag (RFC 5646), and the root locale as {@code -}. Tomcat sends the locale's tag, {@code en}. This puts the trailing
 * hyphen away when the response is committed, and drops a value that was nothing else; any value an app wrote
 * itself that does not end with a hyphen is left alone. Wraps each app's handler chain; runs on the request's
 * thread, at commit on the thread that commits the response.
 */
final class ContentLanguage implements HandlerWrapper, ResponseCommitListener {

    static final ContentLanguage INSTANCE = new ContentLanguage();

    private ContentLanguage() {}

    @Override
    public HttpHandler wrap(HttpHandler next) {
        return exchange -> {
            exchange.addResponseCommitListener(this);
            next.handleRequest(exchange);
        };
    }

    @Override
    public void beforeCommit(HttpServerExchange exchange) {
        HeaderMap headers = exchange.getResponseHeaders();
        String value = headers.getFirst(Headers.CONTENT_LANGUAGE);
        if (value != null && value.endsWith("-")) {
            String tag = value.substring(0, value.length() - 1);
            if (tag.isEmpty()) {
                headers.remove(Headers.CONTENT_LANGUAGE);
            } else {
                headers.put(Headers.CONTENT_LANGUAGE, tag);
            }
        }
    }
}
