package io.warhorse.core.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control protocol's lines over a blocking socket channel (the master's Unix domain control socket), read on
 * one thread and written from others. A line longer than {@link Protocol#MAX_LINE} or not UTF-8 is a
 * {@link ProtocolException} (read no further: the peer is closed); a half line at the end of the stream is dropped.
 * Reads and writes go straight to the channel: {@code Channels.newInputStream} and {@code newOutputStream} may share
 * one lock for a selectable channel, so a reader blocked in {@code read} could stall every writer.
 */
public final class LineChannel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LineChannel.class);

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(8192).flip();
    private final Object writeLock = new Object();
    private byte[] line = new byte[256];

    public LineChannel(SocketChannel channel) {
        this.channel = channel;
    }

    /** The next line without its newline, or null at the end of the stream. One reader thread at a time. */
    public String readLine() throws IOException, ProtocolException {
        int length = 0;
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    return decode(length);
                }
                if (length + 2 > Protocol.MAX_LINE) {
                    throw new ProtocolException("line longer than " + Protocol.MAX_LINE + " bytes");
                }
                if (length == line.length) {
                    line = java.util.Arrays.copyOf(line, Math.min(Protocol.MAX_LINE, length * 2));
                }
                line[length++] = b;
            }
            in.clear();
            int read = channel.read(in);
            in.flip();
            if (read < 0) {
                return null;
            }
        }
    }

    private String decode(int length) throws ProtocolException {
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line, 0, length));
            return text.toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("line is not UTF-8");
        }
    }

    /** Writes {@code message}'s line; false if the peer is gone. */
    public boolean send(Message message) {
        return sendText(Protocol.encode(message));
    }

    /** Writes {@code text} and a newline (unless it ends with one); false if the peer is gone. */
    public boolean sendText(String text) {
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Protocol.MAX_LINE && body.indexOf('\n') < 0) {
            LOG.warn("not sent: a control line of {} bytes (the protocol allows {}): {}...", bytes.length,
                    Protocol.MAX_LINE, Protocol.shorten(text));
            return true;
        }
        ByteBuffer out = ByteBuffer.wrap(bytes);
        synchronized (writeLock) {
            try {
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed by the peer
        }
    }
}
