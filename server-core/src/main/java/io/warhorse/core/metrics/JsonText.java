package io.warhorse.core.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * JSON text for the metrics the master handles, written and read with Jackson's streaming generator and parser
 * (jackson-core) rather than its object mapper: the master only supervises, and the data-binding layer was more than
 * a tenth of the classes it loaded. Stateless; any thread.
 */
final class JsonText {

    /** What writes one JSON value on a generator. */
    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonText() {}

    /** The text {@code writer} writes, compact (no spaces), as Jackson's tree nodes print themselves. */
    static String write(Writer writer) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    static JsonParser parser(String text) throws IOException {
        return FACTORY.createParser(text);
    }

    /** A field {@code name} whose value is the array of {@code values}. */
    static void writeLongs(JsonGenerator json, String name, long[] values) throws IOException {
        json.writeArrayFieldStart(name);
        for (long value : values) {
            json.writeNumber(value);
        }
        json.writeEndArray();
    }
}
