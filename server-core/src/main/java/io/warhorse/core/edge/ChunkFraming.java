package io.warhorse.core.edge;

import java.nio.ByteBuffer;

/**
 * The framing of one {@code Transfer-Encoding: chunked} request body, checked byte by byte as RFC 9112 section 7.1
 * writes it, strictly: a chunk size is 1 to 15 hex digits (no sign, no other character, nothing over 2^60), a
 * chunk line (size and extensions) or a trailer line at most {@link #MAX_LINE} bytes, every line ended by CRLF,
 * chunk data followed by CRLF and nothing else. Undertow 2.3.26's decoder is lax on each of these (a size line
 * with no digit is read as the last chunk, bytes after chunk data are skipped up to the next LF), which is how one
 * body is read two ways by two servers (request smuggling). The check only reads; the bytes go on unchanged. One
 * instance per body, used by one thread at a time.
 */
final class ChunkFraming {

    /** The longest chunk line (size and extensions) or trailer line, as FirstLineVersion bounds a request line. */
    static final int MAX_LINE = 8192;
    private static final int MAX_SIZE_DIGITS = 15;

    enum Result { MORE, DONE, BAD }

    private enum State { SIZE_FIRST, SIZE, SPACE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_FIRST, TRAILER, TRAILER_LF, END_LF, DONE }

    private State state = State.SIZE_FIRST;
    private long remaining;
    private int digits;
    private int lineLength;
    private int trailerBytes;
    private boolean colon;
    /** After DONE: the index just past the body in the last buffer fed. */
    private int end = -1;

    /**
     * Feeds bytes [from, to) of {@code buffer} (absolute indexes; the buffer's position is not moved). DONE: the
     * body ended inside them, at {@link #end()}; BAD: the framing is broken; MORE: the body goes on.
     */
    Result feed(ByteBuffer buffer, int from, int to) {
        for (int i = from; i < to; i++) {
            if (state == State.DATA) {
                int skip = (int) Math.min(remaining, to - i);
                remaining -= skip;
                i += skip - 1;
                if (remaining == 0) {
                    state = State.DATA_CR;
                }
                continue;
            }
            if (!accept(buffer.get(i) & 0xff)) {
                return Result.BAD;
            }
            if (state == State.DONE) {
                end = i + 1;
                return Result.DONE;
            }
        }
        return Result.MORE;
    }

    int end() {
        return end;
    }

    private boolean accept(int c) {
        switch (state) {
            case SIZE_FIRST -> {
                lineLength = 1;
                digits = 0;
                remaining = 0;
                state = State.SIZE;
                return hexDigit(c);
            }
            case SIZE -> {
                if (!longLine() && hexDigit(c)) {
                    return true;
                }
                return sizeEnd(c);
            }
            case SPACE -> {
                return !longLine() && sizeEnd(c);
            }
            case EXTENSION -> {
                if (c == '\r') {
                    return enter(State.SIZE_LF);
                }
                return !longLine() && (c >= 0x20 && c != 0x7f || c == '\t');
            }
            case SIZE_LF -> {
                return c == '\n' && enter(remaining == 0 ? State.TRAILER_FIRST : State.DATA);
            }
            case DATA_CR -> {
                return c == '\r' && enter(State.DATA_LF);
            }
            case DATA_LF -> {
                return c == '\n' && enter(State.SIZE_FIRST);
            }
            case TRAILER_FIRST -> {
                lineLength = 1;
                colon = false;
                return c == '\r' ? enter(State.END_LF) : fieldChar(c) && enter(State.TRAILER);
            }
            case TRAILER -> {
                if (c == '\r') {
                    return colon && enter(State.TRAILER_LF); // a trailer is a field: name, colon, value
                }
                colon |= c == ':';
                return !longLine() && (c >= 0x20 && c != 0x7f || c == '\t');
            }
            case TRAILER_LF -> {
                return c == '\n' && enter(State.TRAILER_FIRST);
            }
            case END_LF -> {
                return c == '\n' && enter(State.DONE);
            }
            default -> {
                return false;
            }
        }
    }

    /** After the digits: spaces, then an extension or the line's end. */
    private boolean sizeEnd(int c) {
        return switch (c) {
            case ' ', '\t' -> enter(State.SPACE);
            case ';' -> enter(State.EXTENSION);
            case '\r' -> enter(State.SIZE_LF);
            default -> false;
        };
    }

    private boolean hexDigit(int c) {
        int value = Character.digit(c, 16);
        if (value < 0) {
            return false;
        }
        if (remaining > 0 || value > 0) {
            digits++; // leading zeros do not count towards the limit
        }
        remaining = remaining << 4 | value;
        return digits <= MAX_SIZE_DIGITS;
    }

    private boolean longLine() {
        if (state == State.TRAILER && ++trailerBytes > MAX_LINE) {
            return true; // the whole trailer section is bounded, not only each line
        }
        return ++lineLength > MAX_LINE;
    }

    private static boolean fieldChar(int c) {
        return c > 0x20 && c < 0x7f && c != ':';
    }

    private boolean enter(State next) {
        state = next;
        return true;
    }
}
