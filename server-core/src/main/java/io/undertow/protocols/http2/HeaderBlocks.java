package io.undertow.protocols.http2;

import io.warhorse.core.edge.PrivateFields;
import java.lang.invoke.VarHandle;

/**
 * Whether an HTTP/2 stream's header block has been read to its END_HEADERS flag. Undertow 2.3 starts a request as
 * soon as its HEADERS frame has been read, even when CONTINUATION frames are still to come: the fields they carry
 * were then missing from the request, or were added to its header map while the app read it, from the I/O thread.
 * Clients send a CONTINUATION whenever a header block outgrows a frame (16 KiB: one large cookie is enough), and
 * whether it arrived in the same read as the HEADERS frame was a matter of timing. Undertow keeps the parser of an
 * unfinished block in private fields of {@link Http2Channel}, and the parser's class is package-private: hence this
 * one class in Undertow's package. Call it on the channel's I/O thread, which is the only one that parses frames.
 */
public final class HeaderBlocks {

    private static final String WHY = "tell when an HTTP/2 header block is complete";

    /** The parser of a header block whose HEADERS or CONTINUATION frame without END_HEADERS has been read. */
    private static final VarHandle CONTINUATION = PrivateFields.of(Http2Channel.class, "continuationParser",
            Http2HeadersParser.class, WHY);
    /** The frame being read, which holds that parser while a CONTINUATION frame is only partly read. */
    private static final VarHandle FRAME = PrivateFields.of(Http2Channel.class, "frameParser",
            Http2FrameHeaderParser.class, WHY);

    private final Http2Channel channel;
    private final Http2StreamSourceChannel stream;
    private final Http2HeadersParser parser;

    private HeaderBlocks(Http2Channel channel, Http2StreamSourceChannel stream, Http2HeadersParser parser) {
        this.channel = channel;
        this.stream = stream;
        this.parser = parser;
    }

    /** {@code stream}'s header block while it still waits for frames; null once it is complete. */
    public static HeaderBlocks pending(Http2Channel channel, Http2StreamSourceChannel stream) {
        Http2HeadersParser parser = awaited(channel);
        return parser != null && parser.getStreamId() == stream.getStreamId() ? new HeaderBlocks(channel, stream, parser) : null;
    }

    /** True once the block's END_HEADERS has been read. */
    public boolean done() {
        return unfinished(channel) != parser;
    }

    /**
     * Ends the request's stream if its HEADERS frame said so (END_STREAM: no body follows), once {@link #done()}.
     * Undertow does that itself only for a block complete when it starts the request; otherwise the stream never
     * ended, reading the request's body never finished, and the stream kept its place among the connection's
     * concurrent streams.
     */
    public void finish() {
        if (parser.isHeadersEndStream()) {
            stream.lastFrame();
            channel.removeStreamSource(stream.getStreamId());
        }
    }

    /**
     * True when a field of the block broke HTTP/2's rules (an upper-case or non-token name, a pseudo-header where
     * none may be): Undertow checks that only for the fields read before it started the request.
     */
    public boolean malformed() {
        return parser.isInvalid();
    }

    /** The parser of a block that waits for a CONTINUATION frame whose head has not been read yet. */
    private static Http2HeadersParser awaited(Http2Channel channel) {
        Http2HeadersParser parser = (Http2HeadersParser) CONTINUATION.get(channel);
        if (parser == null) {
            Http2FrameHeaderParser frame = (Http2FrameHeaderParser) FRAME.get(channel);
            parser = frame == null ? null : frame.getContinuationParser();
        }
        return parser;
    }

    /**
     * The parser of the header block still being read: the one that waits for a CONTINUATION frame, or the one that
     * parses the frame being read. The frame that ends a block (END_HEADERS) has its payload still to come after its
     * head, but Undertow forgets the block's parser as soon as it has read that head; the fields in the payload are
     * then still unread, so while that frame is unfinished its parser counts too.
     */
    private static Http2HeadersParser unfinished(Http2Channel channel) {
        Http2HeadersParser parser = awaited(channel);
        if (parser != null) {
            return parser;
        }
        Http2FrameHeaderParser frame = (Http2FrameHeaderParser) FRAME.get(channel);
        return frame != null && frame.getParser() instanceof Http2HeadersParser headers && !headers.isFinished() ? headers : null;
    }
}
