package io.warhorse.core.sessions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The session attributes most apps keep (a String such as a user name or a CSRF token, an Integer, a Long, a
 * Boolean) in a tag byte and their value, instead of Java serialization, which writes their class descriptors and
 * costs an ObjectOutputStream per attribute (about 80 bytes for one Integer). The tags are below 0x10, so they never
 * look like a serialization stream (which starts with 0xACED): attributes written either way read back. Stateless;
 * any thread.
 */
final class PlainValues {

    private static final byte STRING = 1;
    private static final byte INTEGER = 2;
    private static final byte LONG = 3;
    private static final byte BOOLEAN = 4;
    /** Strings up to this many chars are written with writeUTF, whose limit is 65535 bytes (3 a char at most). */
    private static final int MAX_STRING = 65535 / 3;

    private PlainValues() {}

    /** The value's bytes, or null if it is not one of the plain types (Java serialization writes it then). */
    static byte[] encode(Object value) {
        return switch (value) {
            case Integer i -> ByteBuffer.allocate(5).put(INTEGER).putInt(i).array();
            case Long l -> ByteBuffer.allocate(9).put(LONG).putLong(l).array();
            case Boolean b -> new byte[] {BOOLEAN, (byte) (b ? 1 : 0)};
            case String text when text.length() <= MAX_STRING -> string(text);
            default -> null;
        };
    }

    /** Whether {@code bytes} were written by {@link #encode}. */
    static boolean isPlain(byte[] bytes) {
        return bytes.length > 0 && bytes[0] >= STRING && bytes[0] <= BOOLEAN;
    }

    /** The value {@link #encode} wrote; a truncated value throws. */
    static Object decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        return switch (bytes[0]) {
            case INTEGER -> in.getInt();
            case LONG -> in.getLong();
            case BOOLEAN -> in.get() != 0;
            default -> readString(bytes);
        };
    }

    /** Modified UTF-8, as Java serialization writes a String: every char survives, unpaired surrogates too. */
    private static byte[] string(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length() + 3);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(STRING);
            out.writeUTF(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static String readString(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1))) {
            return in.readUTF();
        } catch (IOException e) {
            throw new UncheckedIOException("a stored String attribute is cut short", e);
        }
    }
}
