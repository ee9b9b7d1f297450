package io.undertow.protocols.http2;

import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Limits on the fields of an HTTP/2 request, applied while Undertow decodes its header block, between Undertow's
 * block parser and the connection's own HPACK decoder (which keeps its dynamic table, so it can be put in place at
 * any moment of a connection).
 *
 * <p>Undertow 2.3.26 adds each decoded field to the request's header map at once, and that map holds at most 127
 * values of one name: the 128th threw, which failed the whole connection with an ERROR line (UT005090) before any
 * handler could answer. Browsers send each cookie as a field of its own over h2 (RFC 9113, 8.2.3), so a site with
 * many cookies could not be reached over h2, and any client could write an ERROR line per connection. Here:
 * <ul>
 *   <li>a block's {@code cookie} fields reach the request as one, joined with "; ", which is what RFC 9113 asks of a
 *       server before a generic application sees them (the cookie limits then apply as over HTTP/1.1);
 *   <li>once a block holds more than {@code http.max-headers} fields, or more than 127 of one name, no more of its
 *       fields are passed on and its stream is remembered as {@link #refused}: the request is answered 431 by the
 *       first handler, instead of running without the fields dropped.
 * </ul>
 * Undertow has no hook for this, and its decoder is a private final field of {@link Http2Channel}: hence this class
 * in Undertow's package, and {@link #install}, which replaces that field by reflection. Runs on the connection's
 * I/O thread, the only one that decodes its frames or runs its requests' first handlers.
 */
public final class HeaderFieldLimit extends HpackDecoder implements HpackDecoder.HeaderEmitter {

    /** Undertow's {@code HeaderValues} holds a byte's worth of values. */
    static final int MAX_VALUES_PER_NAME = Byte.MAX_VALUE;
    /** Refused streams whose request never reached a handler (Undertow reset them first) are not kept without end. */
    private static final int MAX_REFUSED = 1024;
    private static final Field DECODER = decoderField();

    private final HpackDecoder undertows;
    private final int maxFields;
    /** Undertow's own limit over h2c (pseudo-headers included), past which it resets the stream unanswered. */
    private final int undertowsMaxFields;
    private final int maxCookieChars;
    private final Set<Integer> refused = new HashSet<>();
    /** The parser of the block being decoded; a new block comes with a new parser. */
    private HpackDecoder.HeaderEmitter block;
    private int fields;
    /** Fields passed on to the parser, pseudo-headers and the joined cookie included. */
    private int places;
    /** The first fields' names, counted per name only once a block has enough fields for a name to be over. */
    private final HttpString[] firstNames = new HttpString[MAX_VALUES_PER_NAME];
    private Map<HttpString, Integer> perName;
    /** The block's first cookie field, and the others joined to it. */
    private HttpString cookieName;
    private String cookie;
    private StringBuilder cookies;
    private boolean over;

    private HeaderFieldLimit(HpackDecoder undertows, int maxFields, int undertowsMaxFields, int maxHeaderListBytes) {
        super(0);
        this.undertows = undertows;
        this.maxFields = maxFields;
        this.undertowsMaxFields = undertowsMaxFields;
        this.maxCookieChars = maxHeaderListBytes;
    }

    /** Puts the limits between {@code channel}'s parsers and its decoder; once per connection, on its I/O thread. */
    public static void install(Http2Channel channel, int maxFields, int maxHeaderListBytes) {
        HpackDecoder current = channel.getDecoder();
        if (current instanceof HeaderFieldLimit) {
            return;
        }
        try {
            DECODER.set(channel, new HeaderFieldLimit(current, maxFields, channel.getMaxHeaders(), maxHeaderListBytes));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set the HPACK decoder of Undertow's Http2Channel", e);
        }
    }

    /** True, once, when the header block of {@code streamId} went over a limit and its request must get 431. */
    public static boolean refused(Http2Channel channel, int streamId) {
        return channel.getDecoder() instanceof HeaderFieldLimit limit && limit.refused.remove(streamId);
    }

    @Override
    public void setHeaderEmitter(HpackDecoder.HeaderEmitter parser) {
        if (parser != block) {
            block = parser;
            Arrays.fill(firstNames, 0, Math.min(fields, firstNames.length), null);
            fields = 0;
            places = 0;
            perName = null;
            cookie = null;
            cookies = null;
            over = false;
        }
    }

    @Override
    public HpackDecoder.HeaderEmitter getHeaderEmitter() {
        return block;
    }

    @Override
    public void decode(ByteBuffer buffer, boolean moreData) throws HpackException {
        undertows.setHeaderEmitter(this);
        undertows.decode(buffer, moreData);
        if (!moreData && block != null) {
            passCookies(); // the end of the block
        }
    }

    @Override
    public void emitHeader(HttpString name, String value, boolean neverIndex) throws HpackException {
        if (over) {
            return;
        }
        boolean pseudo = name.length() > 0 && name.byteAt(0) == ':'; // not a field of the request's
        boolean cookiePart = !pseudo && name.equals(Headers.COOKIE);
        if (cookiePart && cookie != null) {
            joinCookie(value); // takes no place of its own
            return;
        }
        if (!pseudo && (++fields > maxFields || !cookiePart && overPerName(name))
                || undertowsMaxFields > 0 && ++places > undertowsMaxFields) {
            refuse();
            return;
        }
        if (cookiePart) {
            cookieName = name; // as the client wrote it (lower case, or the parser would call the block malformed)
            cookie = value; // passed on at the end of the block
        } else {
            block.emitHeader(name, value, neverIndex);
        }
    }

    private void joinCookie(String value) throws HpackException {
        if (cookies == null) {
            cookies = new StringBuilder(cookie);
        }
        cookies.append("; ").append(value);
        if (cookies.length() > maxCookieChars) {
            passCookies(); // over the header list's size: the parser fails the block, as it would have
        }
    }

    private void passCookies() throws HpackException {
        String joined = cookies != null ? cookies.toString() : cookie;
        cookie = null; // a cookie field after this one would take a place of its own
        cookies = null;
        if (joined != null && !over) {
            block.emitHeader(cookieName, joined, false);
        }
    }

    /** Counts {@code name} once the block has as many fields as one name may have values. */
    private boolean overPerName(HttpString name) {
        if (fields < MAX_VALUES_PER_NAME) {
            firstNames[fields - 1] = name;
            return false;
        }
        if (perName == null) {
            perName = new HashMap<>();
            for (int i = 0; i < fields - 1; i++) {
                if (firstNames[i] != null) { // null where the block's cookie field was counted
                    perName.merge(firstNames[i], 1, Integer::sum);
                }
            }
        }
        return perName.merge(name, 1, Integer::sum) > MAX_VALUES_PER_NAME;
    }

    private void refuse() throws HpackException {
        over = true;
        cookie = null;
        cookies = null;
        if (block instanceof Http2HeaderBlockParser parser) {
            if (refused.size() >= MAX_REFUSED) {
                throw new HpackException("more than " + MAX_REFUSED + " requests over the header limits",
                        Http2Channel.ERROR_ENHANCE_YOUR_CALM);
            }
            refused.add(parser.getStreamId());
        }
    }

    private static Field decoderField() {
        try {
            Field field = Http2Channel.class.getDeclaredField("decoder");
            if (field.getType() != HpackDecoder.class) {
                throw new NoSuchFieldException("decoder is a " + field.getType());
            }
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this Undertow's Http2Channel has no HpackDecoder field 'decoder':"
                    + " warhorse cannot limit the fields of HTTP/2 requests with it", e);
        }
    }
}
