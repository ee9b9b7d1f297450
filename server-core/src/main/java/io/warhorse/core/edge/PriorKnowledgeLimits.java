package io.warhorse.core.edge;

import io.undertow.protocols.http2.HeaderFieldLimit;
import io.undertow.protocols.http2.Http2Channel;
import io.undertow.server.protocol.framed.AbstractFramedChannel;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.xnio.StreamConnection;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Puts {@link HeaderFieldLimit} on an h2c connection opened with prior knowledge before its first frame is decoded,
 * so its first request is held to the same limits as every later one (without this, more than 127 fields of one name
 * in that request failed the whole connection with an error and a stack trace in the log). Undertow builds that
 * connection's {@link Http2Channel} inline when it parses the preface, with no hook: this watches the connection's
 * first bytes, and once they are the preface's request line, it looks after each read, in a task queued on the
 * connection's I/O thread, for the channel Undertow has made. Undertow queues its own first frame read behind the
 * channel's creation, so that task comes first. Steps aside after the first line of any other connection, and
 * after a few reads. Runs on the connection's I/O thread.
 */
final class PriorKnowledgeLimits extends RawBytesWatch {

    private static final byte[] PREFACE_LINE = "PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Reads after the preface line within which Undertow has read the rest of the preface ("SM" and two CRLFs). */
    private static final int MAX_LOOKS = 8;
    private static final Class<?> FRAME_READ_LISTENER = frameReadListener();
    /** Undertow's frame read listener is an inner class: its enclosing framed channel is the h2 connection. */
    private static final VarHandle OWNER = PrivateFields.of(FRAME_READ_LISTENER, "this$0", AbstractFramedChannel.class,
            "limit the fields of an h2c connection's first request");

    private final int maxFields;
    private final int maxHeaderListBytes;
    private int matched;
    private int looks;
    private boolean done;

    private PriorKnowledgeLimits(StreamSourceConduit next, StreamConnection connection, int maxFields,
                                 int maxHeaderListBytes) {
        super(next, connection);
        this.maxFields = maxFields;
        this.maxHeaderListBytes = maxHeaderListBytes;
    }

    /**
     * What puts the watch on each plain connection that may open h2c with prior knowledge.
     *
     * @param maxFields          {@code http.max-headers}
     * @param maxHeaderListBytes {@code http2.max-header-list-size}
     */
    static UnaryOperator<StreamConnection> watcher(int maxFields, int maxHeaderListBytes) {
        return connection -> install(connection, (next, c) -> new PriorKnowledgeLimits(next, c, maxFields, maxHeaderListBytes));
    }

    @Override
    boolean watching() {
        return !done;
    }

    @Override
    boolean inspect(ByteBuffer buffer, int from, int to) {
        for (int i = from; i < to && matched < PREFACE_LINE.length; i++) {
            if (buffer.get(i) != PREFACE_LINE[matched++]) {
                done = true; // an HTTP/1.x connection
                return true;
            }
        }
        if (matched == PREFACE_LINE.length) {
            connection.getIoThread().execute(this::lookForChannel);
        }
        return true;
    }

    private void lookForChannel() {
        if (done) {
            return;
        }
        Object listener = connection.getSourceChannel().getReadListener();
        if (FRAME_READ_LISTENER.isInstance(listener) && OWNER.get(listener) instanceof Http2Channel channel) {
            HeaderFieldLimit.install(channel, maxFields, maxHeaderListBytes);
            done = true;
        } else if (++looks >= MAX_LOOKS) {
            done = true; // the preface was not completed: Undertow fails the connection
        }
    }

    private static Class<?> frameReadListener() {
        try {
            return Class.forName(AbstractFramedChannel.class.getName() + "$FrameReadListener");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the Undertow on the class path has no AbstractFramedChannel.FrameReadListener:"
                    + " warhorse cannot limit the fields of an h2c connection's first request", e);
        }
    }
}
