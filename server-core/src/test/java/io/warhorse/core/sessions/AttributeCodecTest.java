package io.warhorse.core.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attributes to bytes and back: the plain types' short form, Java serialization for the rest, older sessions. */
class AttributeCodecTest {

    private final AttributeCodec codec = new AttributeCodec("/app", AttributeCodecTest.class.getClassLoader());

    @Test
    void everyKindOfAttributeReadsBackEqualAndOfItsOwnClass() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("count", 41);
        attributes.put("user", "zoë \uD83D\uDE00 and a lone \uD800 surrogate");
        attributes.put("empty", "");
        attributes.put("id", Long.MIN_VALUE);
        attributes.put("admin", Boolean.TRUE);
        attributes.put("long text", "x".repeat(70_000)); // past writeUTF's limit: serialized
        attributes.put("roles", new java.util.ArrayList<>(List.of("a", "b")));
        attributes.put("short", (short) 7); // not one of the plain types: serialized
        Map<String, Object> read = codec.decode(codec.encode(attributes));
        assertEquals(attributes, read);
        attributes.forEach((name, value) -> assertEquals(value.getClass(), read.get(name).getClass(), name));
    }

    @Test
    void aPlainValueIsAFewBytesAndNeverLooksLikeSerialization() {
        assertEquals(5, PlainValues.encode(7).length);
        assertEquals(2, PlainValues.encode(false).length);
        assertTrue(PlainValues.isPlain(PlainValues.encode("token")));
        assertEquals(null, PlainValues.encode(3.5), "a Double: Java serialization");
    }

    @Test
    void anAttributeWrittenWithJavaSerializationStillReadsBack() throws Exception {
        // a session stored before the plain form existed: every attribute in Java serialization
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(data)) {
            out.writeInt(2);
            for (Object value : List.of(12, "name")) {
                ByteArrayOutputStream one = new ByteArrayOutputStream();
                try (ObjectOutputStream serialized = new ObjectOutputStream(one)) {
                    serialized.writeObject(value);
                }
                out.writeUTF(value instanceof Integer ? "count" : "user");
                out.writeInt(one.size());
                out.write(one.toByteArray());
            }
        }
        assertEquals(Map.of("count", 12, "user", "name"), codec.decode(data.toByteArray()));
    }

    @Test
    void aCutShortPlainValueCostsOnlyItself() throws Exception {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(data)) {
            out.writeInt(2);
            out.writeUTF("broken");
            out.writeInt(3);
            out.write(new byte[] {2, 0, 0}); // an Integer's tag and half its bytes
            byte[] fine = PlainValues.encode("ok");
            out.writeUTF("fine");
            out.writeInt(fine.length);
            out.write(fine);
        }
        assertEquals(Map.of("fine", "ok"), codec.decode(data.toByteArray()));
    }
}
