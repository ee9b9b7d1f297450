package io.warhorse.core.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The little of ASN.1 DER that reading a PEM private key needs: walking the outer structures of PKCS#8, PKCS#1 and
 * SEC1 keys to find their algorithm or curve, and writing the PKCS#8 wrapping the JDK's key factories read. The key
 * material itself is parsed by the JDK. Input is a file an operator gave, still read as possibly hostile: every
 * length is checked against what is left, and a malformed structure is an {@link IllegalArgumentException} saying
 * where. Any thread; an instance is one reader over one array.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** [0] EXPLICIT, constructed: SEC1's curve parameters. */
    static final int CONTEXT_0 = 0xa0;

    private final byte[] bytes;
    private int position;
    private final int end;

    private Der(byte[] bytes, int position, int end) {
        this.bytes = bytes;
        this.position = position;
        this.end = end;
    }

    /** A reader over all of {@code bytes}. */
    static Der of(byte[] bytes) {
        return new Der(bytes, 0, bytes.length);
    }

    /** The tag of the next element, without reading it; -1 at the end. */
    int peekTag() {
        return position < end ? bytes[position] & 0xff : -1;
    }

    /** Reads the next element, which must have {@code tag}; a reader over its contents. */
    Der read(int tag) {
        int start = position;
        if (position >= end) {
            throw new IllegalArgumentException("the DER structure ends where an element (tag 0x" + Integer.toHexString(tag) + ") was due");
        }
        int actual = bytes[position++] & 0xff;
        if (actual != tag) {
            throw new IllegalArgumentException("a DER element with tag 0x" + Integer.toHexString(actual) + " at byte "
                    + start + " where 0x" + Integer.toHexString(tag) + " was due");
        }
        int length = length();
        Der contents = new Der(bytes, position, position + length);
        position += length;
        return contents;
    }

    /** Reads the next element, which must have {@code tag}; the whole element, tag and length included. */
    byte[] readElement(int tag) {
        int start = position;
        read(tag);
        return Arrays.copyOfRange(bytes, start, position);
    }

    /** This reader's remaining bytes. */
    byte[] rest() {
        return Arrays.copyOfRange(bytes, position, end);
    }

    /** The contents of an OBJECT IDENTIFIER in dotted form ("1.2.840.10045.2.1"). */
    String oid() {
        StringBuilder text = new StringBuilder();
        long value = 0;
        boolean first = true;
        for (int i = position; i < end; i++) {
            if (value > Long.MAX_VALUE >>> 7) {
                throw new IllegalArgumentException("an object identifier with an arc too large");
            }
            value = (value << 7) | (bytes[i] & 0x7f);
            if ((bytes[i] & 0x80) == 0) {
                if (first) {
                    long top = Math.min(value / 40, 2);
                    text.append(top).append('.').append(value - 40 * top);
                    first = false;
                } else {
                    text.append('.').append(value);
                }
                value = 0;
            } else if (i == end - 1) {
                throw new IllegalArgumentException("an object identifier that ends inside an arc");
            }
        }
        if (first) {
            throw new IllegalArgumentException("an empty object identifier");
        }
        return text.toString();
    }

    private int length() {
        if (position >= end) {
            throw new IllegalArgumentException("the DER structure ends inside a length");
        }
        int first = bytes[position++] & 0xff;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int count = first & 0x7f;
            if (count == 0 || count > 3) { // indefinite (not DER), or more than 16 MiB: not a key
                throw new IllegalArgumentException("a DER length of form 0x" + Integer.toHexString(first));
            }
            if (end - position < count) {
                throw new IllegalArgumentException("the DER structure ends inside a length");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (bytes[position++] & 0xff);
            }
        }
        if (length > end - position) {
            throw new IllegalArgumentException("a DER element of " + length + " bytes where " + (end - position) + " are left");
        }
        return length;
    }

    /** Writes an element: {@code tag}, the length of the contents, the contents. */
    static byte[] element(int tag, byte[]... contents) {
        int length = 0;
        for (byte[] part : contents) {
            length += part.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        for (byte[] part : contents) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** An OBJECT IDENTIFIER element for a dotted {@code oid} whose arcs are below 2^35. */
    static byte[] oid(String oid) {
        String[] arcs = oid.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1])); // the first two arcs are one subidentifier
        for (int i = 2; i < arcs.length; i++) {
            base128(out, Long.parseLong(arcs[i]));
        }
        return element(OID, out.toByteArray());
    }

    /** A subidentifier below 2^35: seven bits a byte, most significant first, the high bit set on all but the last. */
    private static void base128(ByteArrayOutputStream out, long value) {
        for (int shift = 28; shift > 0; shift -= 7) {
            if (value >= 1L << shift) {
                out.write((int) (0x80 | ((value >> shift) & 0x7f)));
            }
        }
        out.write((int) (value & 0x7f));
    }
}
