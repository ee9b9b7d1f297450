package io.warhorse.core.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkFramingTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "0\r\n\r\n",
        "5\r\nhello\r\n0\r\n\r\n",
        "5;name=value\r\nhello\r\nA \t;x\r\n0123456789\r\n0\r\nChecksum: abc\r\n\r\n",
        "000000000000000000005\r\nhello\r\n0\r\n\r\n",
    })
    void wellFramedBodiesEndWhereTheyEnd(String body) {
        ChunkFraming framing = new ChunkFraming();
        ByteBuffer bytes = ascii(body + "GET / HTTP/1.1\r\n");
        assertEquals(ChunkFraming.Result.DONE, framing.feed(bytes, 0, bytes.limit()));
        assertEquals(body.length(), framing.end());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ZZ\r\nhello\r\n0\r\n\r\n",          // no hex digit: Undertow reads it as the last chunk
        "-5\r\nhello\r\n0\r\n\r\n",          // signed
        "0x5\r\nhello\r\n0\r\n\r\n",         // prefixed
        "FFFFFFFFFFFFFFFFFFFF\r\nhello\r\n", // over 2^64
        "1000000000000000\r\n",              // 16 digits: over 2^60
        "5\nhello\r\n0\r\n\r\n",             // bare LF after the size
        "5\r\nhelloXX\r\n0\r\n\r\n",         // bytes after the data, which Undertow skips
        "5\r\nhello\n0\r\n\r\n",             // bare LF after the data
        "5 x\r\nhello\r\n",                  // not an extension after the spaces
        "5;a\0b\r\nhello\r\n",               // NUL in an extension
        "0\r\nno colon\r\n\r\n",              // a trailer that is not a field
        "0\r\n:x\r\n\r\n",                   // a trailer with no name
        "0\r\n\n",                           // bare LF at the end
    })
    void brokenFramingIsBad(String body) {
        ByteBuffer bytes = ascii(body);
        assertEquals(ChunkFraming.Result.BAD, new ChunkFraming().feed(bytes, 0, bytes.limit()));
    }

    @Test
    void aChunkLineLongerThanTheLimitIsBadAndOneWithinItIsNot() {
        String within = "5;" + "a".repeat(ChunkFraming.MAX_LINE - 2) + "\r\nhello\r\n0\r\n\r\n";
        ByteBuffer ok = ascii(within);
        assertEquals(ChunkFraming.Result.DONE, new ChunkFraming().feed(ok, 0, ok.limit()));
        ByteBuffer longer = ascii("5;" + "a".repeat(ChunkFraming.MAX_LINE - 1) + "\r\n");
        assertEquals(ChunkFraming.Result.BAD, new ChunkFraming().feed(longer, 0, longer.limit()));
    }

    @Test
    void aBodyFedInPiecesOfOneByteIsJudgedTheSame() {
        ByteBuffer bytes = ascii("3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nA: b\r\n\r\nrest");
        ChunkFraming framing = new ChunkFraming();
        int i = 0;
        while (framing.feed(bytes, i, i + 1) == ChunkFraming.Result.MORE) {
            i++;
        }
        assertEquals(bytes.limit() - "rest".length(), framing.end());
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
