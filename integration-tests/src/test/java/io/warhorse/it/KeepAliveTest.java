package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.testing.RunningWorker;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One connection, many requests: the next request on a keep-alive connection is read once the previous one has
 * completed, which the worker hands back to the connection's I/O thread (RequestCounter). Requests sent one after
 * the other and requests pipelined in one write are all answered, in order, on every kind.
 */
class KeepAliveTest {

    private static final String REQUEST = "GET /hello/hello HTTP/1.1\r\nHost: localhost\r\n\r\n";

    @ParameterizedTest
    @ValueSource(strings = {"sync", "virtual", "async"})
    void sequentialAndPipelinedRequestsOnOneConnectionAreAllAnswered(String kind) throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings(kind, List.of(app("hello"))));
                Socket socket = connect(worker)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 50; i++) {
                out.write(REQUEST.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertEquals(1, readResponses(in, 1), "response " + i);
            }
            out.write(REQUEST.repeat(20).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals(20, readResponses(in, 20), "pipelined responses");
        }
    }

    /**
     * The next request sent while the previous one still runs (it sleeps 300 ms): it arrives on a connection whose
     * reads are suspended ({@code LazyReadSuspend} holds the event back) and is answered after the first, in order.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sync", "virtual", "async"})
    void aRequestSentWhileThePreviousOneRunsIsAnsweredAfterIt(String kind) throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings(kind, List.of(app("async"))));
                Socket socket = connect(worker)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(block(300).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            out.write(block(1).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("blocked 300 ms\n", readBody(in));
            assertEquals("blocked 1 ms\n", readBody(in));
        }
    }

    /** A connection to {@code worker}, whose reads give up after 10 s. */
    private static Socket connect(RunningWorker worker) throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", worker.port()), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String block(int ms) {
        return "GET /async/block?ms=" + ms + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    /** Reads one 200 response and returns its body. */
    private static String readBody(InputStream in) throws Exception {
        String head = readHead(in);
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        int length = -1;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        assertTrue(length >= 0, "no Content-Length in " + head);
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Reads {@code count} whole responses (status line, headers, Content-Length body); returns how many were 200. */
    private static int readResponses(InputStream in, int count) throws Exception {
        int ok = 0;
        for (int i = 0; i < count; i++) {
            String head = readHead(in);
            if (head.startsWith("HTTP/1.1 200")) {
                ok++;
            }
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            in.readNBytes(length);
        }
        return ok;
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed after: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
