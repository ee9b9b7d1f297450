package io.warhorse.core.edge;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.servlet.api.ExceptionHandler;
import io.undertow.servlet.api.LoggingExceptionHandler;
import io.undertow.util.BadRequestException;
import io.undertow.util.ParameterLimitException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * Answers the client's fault as the client's fault: a request over a limit that Undertow only notices when the app
 * reads it (too many form parameters or cookies, a body over max-entity-size, a malformed form or chunked body)
 * escapes the servlet as an exception, which Undertow would answer 500 and log as an app error. These get 400 (413 for a body
 * too large) and close the connection; any other exception goes to {@code fallback}. Runs on the request's thread.
 */
public final class RequestLimitErrors implements ExceptionHandler {

    private final ExceptionHandler fallback;

    private RequestLimitErrors(ExceptionHandler fallback) {
        this.fallback = fallback;
    }

    /** Wraps the deployment's own handler, or Undertow's default (log, then error page) when it has none. */
    public static ExceptionHandler around(ExceptionHandler current) {
        return new RequestLimitErrors(current == null ? LoggingExceptionHandler.DEFAULT : current);
    }

    @Override
    public boolean handleThrowable(HttpServerExchange exchange, ServletRequest request, ServletResponse response,
                                   Throwable throwable) {
        int status = statusFor(throwable);
        if (status == 0 || exchange.isResponseStarted()) {
            return fallback.handleThrowable(exchange, request, response, throwable);
        }
        response.reset();
        exchange.setStatusCode(status);
        StrictHttp.closeAfter(exchange);
        return true;
    }

    /** 400 or 413 when the request itself broke a limit or was malformed; 0 for anything else. */
    static int statusFor(Throwable throwable) {
        for (Throwable cause = throwable; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestTooBigException || cause.getClass().getSimpleName().equals("FileTooLargeException")) {
                return 413;
            }
            if (cause instanceof ParameterLimitException || cause instanceof BadRequestException
                    || cause instanceof ChunkedBodyCheck.MalformedChunkedBody || undertowLimit(cause.getMessage())) {
                return 400;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return 0;
    }

    /** UT000046 too many cookies, UT000047 too many parameters. */
    private static boolean undertowLimit(String message) {
        return message != null && (message.contains("UT000046") || message.contains("UT000047"));
    }
}
