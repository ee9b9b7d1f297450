package io.warhorse.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/2 client over a plain socket (h2c with prior knowledge) that writes its frames by hand, for what curl
 * and nghttp decide for themselves: where a header block is cut into HEADERS and CONTINUATION frames, and when
 * each is sent. Its HPACK is the smallest there is: literal fields, never indexed, never Huffman-coded. It reads
 * a response's status when the server sends it as an indexed field of HPACK's static table (200, 204, 206,
 * 304, 400, 404, 500), which Undertow does for those, or as the first literal one of a connection (each other
 * status, the first time). Used on the test's thread only.
 */
final class RawH2 implements AutoCloseable {

    static final int HEADERS = 0x1;
    static final int CONTINUATION = 0x9;
    static final int END_STREAM = 0x1;
    static final int END_HEADERS = 0x4;
    private static final int[] STATIC_STATUSES = {200, 204, 206, 304, 400, 404, 500}; // HPACK static table 8..14

    /** A stream's response: its status (0 when this client cannot read it) and its body. */
    record Response(int status, String body) {}

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private boolean settingsReceived;

    RawH2(int port) throws IOException {
        this(port, "");
    }

    /** A connection that sends {@code prefix} (a PROXY header, say) before the preface. */
    RawH2(int port, String prefix) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        out.write((prefix + "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        frame(0x4, 0, 0, new byte[0]); // our SETTINGS: the defaults
        socket.setSoTimeout(20_000);
        while (!settingsReceived) { // the server's SETTINGS, before any request
            next(0);
        }
        socket.setSoTimeout(0);
    }

    /** A GET's header block: the four pseudo-header fields, then {@code fields} as name, value pairs. */
    static byte[] block(String path, String... fields) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x82); // :method GET
        block.write(0x86); // :scheme http
        literal(block, 4, null, path); // :path, by its index
        literal(block, 1, null, "localhost"); // :authority
        for (int i = 0; i < fields.length; i += 2) {
            literal(block, 0, fields[i], fields[i + 1]);
        }
        return block.toByteArray();
    }

    /** Writes and flushes one frame. */
    void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        framePart(type, flags, stream, payload, 0, 9 + payload.length);
    }

    /**
     * Writes and flushes bytes [from, to) of one frame as it goes on the wire (its 9-byte head, then its payload):
     * a frame in pieces, the way a slow network delivers it.
     */
    void framePart(int type, int flags, int stream, byte[] payload, int from, int to) throws IOException {
        byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        byte[] whole = new byte[head.length + payload.length];
        System.arraycopy(head, 0, whole, 0, head.length);
        System.arraycopy(payload, 0, whole, head.length, payload.length);
        out.write(whole, from, to - from);
        out.flush();
    }

    /**
     * What the server sends on {@code stream} within {@code millis}, as "type N flags N", or null for nothing
     * (frames of the connection itself, SETTINGS and WINDOW_UPDATE, are read and answered): the bounded look of a
     * test that something does not happen.
     */
    String sentOn(int stream, int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            while (true) {
                Frame frame = next(stream);
                if (frame != null) {
                    return "type " + frame.type + " flags " + frame.flags + " payload " + java.util.HexFormat.of().formatHex(frame.payload, 0, Math.min(16, frame.payload.length));
                }
            }
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(0);
        }
    }

    /** Reads until {@code stream}'s response has ended, within {@code millis}. */
    Response response(int stream, int millis) throws IOException {
        socket.setSoTimeout(millis);
        int status = 0;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            Frame frame = next(stream);
            if (frame == null) {
                continue;
            }
            if (frame.type == 0x3) {
                throw new IOException("RST_STREAM instead of a response: " + java.util.HexFormat.of().formatHex(frame.payload));
            }
            if (frame.type == HEADERS && status == 0 && frame.payload.length > 0) {
                status = status(frame.payload);
            } else if (frame.type == 0x0) {
                body.write(frame.payload);
            }
            if ((frame.flags & END_STREAM) != 0) {
                return new Response(status, body.toString(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * The status a response's header block starts with: an indexed field of the static table, or a literal one
     * naming the static table's {@code :status} with a value not Huffman-coded (Undertow codes only longer values).
     */
    private static int status(byte[] block) {
        int first = block[0] & 0xff;
        if (first >= 0x88 && first <= 0x8e) {
            return STATIC_STATUSES[first - 0x88];
        }
        boolean literalStatus = first == 0x48 || first == 0x08 || first == 0x18;
        if (literalStatus && block.length >= 5 && block[1] == 3) {
            return Integer.parseInt(new String(block, 2, 3, StandardCharsets.US_ASCII));
        }
        return 0;
    }

    private record Frame(int type, int flags, byte[] payload) {}

    /**
     * The next frame on {@code stream}; null after a frame of the connection, answered if need be; a GOAWAY throws.
     * Every DATA frame read gives its length back to the connection's window (a stream's own 64 KiB is enough for
     * the responses the tests read): without that the server may send only 64 KiB of DATA on the connection.
     */
    private Frame next(int stream) throws IOException {
        int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int id = in.readInt() & 0x7fffffff;
        byte[] payload = in.readNBytes(length);
        if (type == 0x4 && (flags & 0x1) == 0) {
            frame(0x4, 0x1, 0, new byte[0]); // acknowledge the server's SETTINGS
            settingsReceived = true;
        }
        if (type == 0x0 && length > 0) { // give the connection's flow-control window back, as any client does
            frame(0x8, 0, 0, new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
        }
        if (type == 0x7) {
            throw new IOException("GOAWAY from the server: " + java.util.HexFormat.of().formatHex(payload));
        }
        return id == stream && stream != 0 ? new Frame(type, flags, payload) : null;
    }

    /** A literal field without indexing; a pseudo-header by its static table index, other names spelled out. */
    private static void literal(ByteArrayOutputStream block, int nameIndex, String name, String value) {
        integer(block, nameIndex, 4);
        if (name != null) {
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            integer(block, bytes.length, 7);
            block.writeBytes(bytes);
        }
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        integer(block, bytes.length, 7);
        block.writeBytes(bytes);
    }

    /** HPACK's integer with an n-bit prefix (RFC 7541 section 5.1), the rest of the first byte 0. */
    private static void integer(ByteArrayOutputStream block, int value, int prefixBits) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            block.write(value);
            return;
        }
        block.write(max);
        value -= max;
        while (value >= 128) {
            block.write((value & 127) | 128);
            value >>>= 7;
        }
        block.write(value);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
