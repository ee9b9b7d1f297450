package io.warhorse.core.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 lines over a blocking socket channel (the master's Unix domain control socket), read on one thread and
 * written from others. Reads and writes go straight to the channel: {@code Channels.newInputStream} and
 * {@code newOutputStream} may share one lock for a selectable channel, so a reader blocked in {@code read} could
 * stall every writer.
 */
public final class LineChannel implements AutoCloseable {

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(8192).flip();
    private final Object writeLock = new Object();

    public LineChannel(SocketChannel channel) {
        this.channel = channel;
    }

    /** The next line without its terminator, or null at end of stream. One reader thread at a time. */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
            in.clear();
            int read = channel.read(in);
            in.flip();
            if (read < 0) {
                return line.size() > 0 ? line.toString(StandardCharsets.UTF_8) : null;
            }
        }
    }

    /** Writes {@code text} and a newline (unless it ends with one); false if the peer is gone. */
    public boolean send(String text) {
        ByteBuffer out = ByteBuffer.wrap((text.endsWith("\n") ? text : text + "\n").getBytes(StandardCharsets.UTF_8));
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
