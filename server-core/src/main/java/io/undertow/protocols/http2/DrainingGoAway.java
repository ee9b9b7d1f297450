package io.undertow.protocols.http2;

import io.undertow.server.protocol.framed.SendFrameHeader;
import io.undertow.util.ImmediatePooledByteBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;

/**
 * warhorse's first GOAWAY of a graceful HTTP/2 shutdown (RFC 9113 section 6.8): NO_ERROR with the largest stream
 * identifier, so the client opens no new stream on the connection while every stream it has sent, even one
 * crossing this frame on the wire, is still served. Undertow 2.3's own {@link Http2Channel#sendGoAway} is always
 * the last frame (it closes the connection once written, cutting the streams in flight), and its frame classes
 * have package-private constructors: hence this one class in Undertow's package. Call it on the channel's I/O
 * thread.
 */
public final class DrainingGoAway extends Http2NoDataStreamSinkChannel {

    /** The largest stream identifier: every stream the client may have sent is still processed. */
    static final int ANY_STREAM = Integer.MAX_VALUE;

    private DrainingGoAway(Http2Channel channel) {
        super(channel);
    }

    /**
     * Queues the frame on {@code channel} and flushes it, now or when the connection can be written; a connection
     * that cannot be written is closed (its write side is broken: nothing more would reach the client anyway).
     */
    public static void send(Http2Channel channel) {
        DrainingGoAway frame = new DrainingGoAway(channel);
        try {
            frame.shutdownWrites();
            if (!frame.flush()) {
                frame.getWriteSetter().set(ChannelListeners.flushingChannelListener(null,
                        (ignored, e) -> IoUtils.safeClose(channel)));
                frame.resumeWrites();
            }
        } catch (IOException e) {
            IoUtils.safeClose(channel);
        }
    }

    @Override
    protected SendFrameHeader createFrameHeader() {
        ByteBuffer frame = ByteBuffer.allocate(17); // 9-byte frame header, last-stream-id, error code
        Http2ProtocolUtils.putInt(frame, Http2GoAwayStreamSinkChannel.HEADER_FIRST_LINE); // length 8, type GOAWAY
        frame.put((byte) 0); // no flags
        Http2ProtocolUtils.putInt(frame, 0); // the connection's stream
        Http2ProtocolUtils.putInt(frame, ANY_STREAM);
        Http2ProtocolUtils.putInt(frame, Http2Channel.ERROR_NO_ERROR);
        frame.flip();
        return new SendFrameHeader(new ImmediatePooledByteBuffer(frame));
    }
}
