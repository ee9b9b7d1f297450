package io.warhorse.core.edge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Answers 505 to a connection whose first request line names an HTTP version other than 1.0, 1.1 or 2.0. Undertow
 * 2.3.26's parser reads any unknown {@code HTTP/d.d} as HTTP/1.1 before a handler can see it, so this looks at the
 * raw bytes as they are read, up to the first line end (at most 8 KiB), then steps aside. Only a connection's
 * first request is checked: a client speaks one version on a connection. Runs on the connection's I/O thread.
 */
final class FirstLineVersion extends RawBytesWatch {

    private static final int MAX_LINE = 8192;
    private static final Pattern REQUEST_LINE = Pattern.compile("[!-~]+ [!-~]+ HTTP/(\\d\\.\\d)\r?");
    private static final byte[] REFUSAL = ("HTTP/1.1 505 HTTP Version Not Supported\r\nConnection: close\r\n"
            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private StringBuilder line = new StringBuilder(); // null once the first line is judged

    private FirstLineVersion(StreamSourceConduit next, StreamConnection connection) {
        super(next, connection);
    }

    /** Puts the check in front of {@code connection}'s reads; returns the connection. */
    static <C extends StreamConnection> C watch(C connection) {
        return install(connection, FirstLineVersion::new);
    }

    @Override
    boolean watching() {
        return line != null;
    }

    @Override
    boolean inspect(ByteBuffer buffer, int from, int to) {
        if (unsupported(buffer, from, to)) {
            refuse();
            return false;
        }
        return true;
    }

    /** Adds bytes [from, to) of {@code buffer} to the first line; true once it is complete and names a bad version. */
    private boolean unsupported(ByteBuffer buffer, int from, int to) {
        for (int i = from; i < to && line != null; i++) {
            char c = (char) (buffer.get(i) & 0xff);
            if (c == '\n') {
                Matcher matcher = REQUEST_LINE.matcher(line);
                line = null;
                return matcher.matches() && !matcher.group(1).equals("1.1") && !matcher.group(1).equals("1.0")
                        && !matcher.group(1).equals("2.0");
            }
            if (line.length() >= MAX_LINE) {
                line = null; // Undertow refuses heads over max-header-size itself
            } else {
                line.append(c);
            }
        }
        return false;
    }

    private void refuse() {
        answer(REFUSAL);
        IoUtils.safeClose(connection);
    }
}
