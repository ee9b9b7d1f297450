package io.warhorse.core.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The {@code json} access log format: one JSON object per request with time (ISO-8601 UTC), method, path, query,
 * status, bytes, duration_ms, pid, remote (see {@link ClientAddress}), user_agent and referer. Jackson's generator escapes every string
 * (quotes, control characters, newlines), so each object stays on one line.
 */
final class JsonAccessFormat implements AccessLineFormat {

    /**
     * A shared buffer pool: lines are formatted on the worker's recorder thread, but after it has closed on the
     * threads that end requests, virtual ones among them, which would never reuse a per-thread pool's buffers.
     */
    private static final JsonFactory JSON = JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build();
    private static final long PID = ProcessHandle.current().pid();
    private final ClientAddress client;

    JsonAccessFormat(ClientAddress client) {
        this.client = client;
    }

    @Override
    public byte[] line(HttpServerExchange exchange, long endNanos, long endMillis) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(320);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("time", Instant.ofEpochMilli(endMillis).toString());
            json.writeStringField("method", exchange.getRequestMethod().toString());
            json.writeStringField("path", exchange.getRequestPath());
            json.writeStringField("query", exchange.getQueryString());
            json.writeNumberField("status", exchange.getStatusCode());
            json.writeNumberField("bytes", exchange.getResponseBytesSent());
            json.writeNumberField("duration_ms", durationMillis(exchange, endNanos));
            json.writeNumberField("pid", PID);
            json.writeStringField("remote", client.of(exchange));
            json.writeStringField("user_agent", exchange.getRequestHeaders().getFirst(Headers.USER_AGENT));
            json.writeStringField("referer", exchange.getRequestHeaders().getFirst(Headers.REFERER));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static double durationMillis(HttpServerExchange exchange, long end) {
        long start = exchange.getRequestStartTime();
        return start == -1 ? -1 : Math.round((end - start) / 1000.0) / 1000.0;
    }
}
