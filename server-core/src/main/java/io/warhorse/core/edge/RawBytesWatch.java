package io.warhorse.core.edge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BiFunction;
import org.xnio.StreamConnection;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * A look at a connection's bytes as they are read from it, beneath Undertow's parsing, for the checks its parser
 * leaves to us: each read's new bytes are shown to {@link #inspect} while {@link #watching()}. Runs on whichever
 * thread reads the connection.
 */
abstract class RawBytesWatch extends AbstractStreamSourceConduit<StreamSourceConduit> {

    /** The connection watched, to answer on. */
    final StreamConnection connection;

    RawBytesWatch(StreamSourceConduit next, StreamConnection connection) {
        super(next);
        this.connection = connection;
    }

    /** Puts the watch made by {@code watch} under {@code connection}'s reads; returns the connection. */
    static <C extends StreamConnection> C install(C connection,
                                                  BiFunction<StreamSourceConduit, StreamConnection, RawBytesWatch> watch) {
        var source = connection.getSourceChannel();
        source.setConduit(watch.apply(source.getConduit(), connection));
        return connection;
    }

    /** Writes {@code response} straight to the connection: best effort, as it is small enough for one write. */
    void answer(byte[] response) {
        try {
            connection.getSinkChannel().write(ByteBuffer.wrap(response));
            connection.getSinkChannel().flush();
        } catch (IOException e) {
            // the client is gone: nothing to tell it
        }
    }

    /** Whether the bytes read now are to be inspected (one volatile or plain field read per read). */
    abstract boolean watching();

    /**
     * Bytes [from, to) of {@code buffer}, just read. False when the connection has been refused and closed: the read
     * then reports the end of the stream.
     */
    abstract boolean inspect(ByteBuffer buffer, int from, int to) throws IOException;

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int start = dst.position();
        int read = super.read(dst);
        return read > 0 && watching() && !inspect(dst, start, start + read) ? -1 : read;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        int[] starts = new int[length];
        for (int i = 0; i < length; i++) {
            starts[i] = dsts[offset + i].position();
        }
        long read = super.read(dsts, offset, length);
        for (int i = 0; read > 0 && watching() && i < length; i++) {
            if (!inspect(dsts[offset + i], starts[i], dsts[offset + i].position())) {
                return -1;
            }
        }
        return read;
    }
}
