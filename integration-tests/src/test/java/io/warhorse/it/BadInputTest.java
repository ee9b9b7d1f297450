package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.config.HostPort;
import io.warhorse.core.testing.RunningWorker;
import io.warhorse.core.process.ListenSocket;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input from the network or the operator gets a clear answer, never a hang or a stack trace. */
class BadInputTest {

    @Test
    void portInUseIsOneClearLine() throws Exception {
        try (ServerSocketChannel taken = ListenSocket.bind(new HostPort("127.0.0.1", 0), 50)) {
            int port = ((java.net.InetSocketAddress) taken.getLocalAddress()).getPort();
            var error = assertThrows(ListenSocket.ListenException.class,
                    () -> ListenSocket.bind(new HostPort("127.0.0.1", port), 50));
            assertEquals("cannot listen on 127.0.0.1:" + port + ": address already in use "
                    + "(another server on that port? pick another with --bind HOST:PORT)", error.getMessage());
        }
    }

    @Test
    void malformedRequestsGet400AndTheWorkerGoesOn() throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings("virtual", List.of(app("hello"))))) {
            assertEquals("HTTP/1.1 400 Bad Request", Http.rawStatusLine(worker.port(), "GARBAGE\r\n\r\n"));
            assertEquals("HTTP/1.1 400 Bad Request", Http.rawStatusLine(worker.port(), "GET /hello/hello HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n"));
            String huge = "GET /hello/hello HTTP/1.1\r\nHost: a\r\nX-Big: " + "a".repeat(100_000) + "\r\n\r\n";
            assertTrue(Http.rawStatusLine(worker.port(), huge).matches("HTTP/1.1 4\\d\\d .*|"),
                    "an oversized head is refused or the connection closed");
            assertEquals(200, Http.get(worker.uri("/hello/hello")).statusCode());
        }
    }
}
