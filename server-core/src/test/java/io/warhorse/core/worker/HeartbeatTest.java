package io.warhorse.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.warhorse.core.Threads;
import io.warhorse.core.control.Message;
import io.warhorse.core.control.Protocol;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's heartbeat over a real Unix socket, read as the master reads it. Beats go every {@code timeout / 4};
 * once the request count reaches max-requests, each change of it is beaten within a tick, so the master can recycle
 * the worker then and not at its next beat (here a minute away).
 */
class HeartbeatTest {

    @TempDir
    Path dir;

    @Test
    void pastMaxRequestsEachNewCountIsBeatenAtOnceNotAtTheNextBeat() throws Exception {
        AtomicLong served = new AtomicLong(9);
        Path socket = dir.resolve("control.sock");
        try (ServerSocketChannel master = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
             ExecutorService reader = Executors.newSingleThreadExecutor()) {
            master.bind(UnixDomainSocketAddress.of(socket));
            Threads threads = Threads.create();
            try (ControlClient worker = ControlClient.connect(socket, 1, "virtual", "ab".repeat(32));
                 SocketChannel line = master.accept()) {
                BufferedReader lines = new BufferedReader(new InputStreamReader(Channels.newInputStream(line), StandardCharsets.UTF_8));
                assertInstanceOf(Message.Hello.class, Protocol.parse(lines.readLine()));
                worker.startHeartbeat(threads, Duration.ofSeconds(60), 10, served::get, () -> 0, () -> { });
                assertEquals(9, beat(reader, lines).requests(), "the first beat goes at once");
                served.set(10);
                assertEquals(10, beat(reader, lines).requests(), "at max-requests: beaten now, not in a minute");
                served.set(12);
                assertEquals(12, beat(reader, lines).requests());
            }
        }
    }

    /** The next line, which must be a beat, read within 10 s (the next periodic beat is a minute away). */
    private static Message.Beat beat(ExecutorService reader, BufferedReader lines) throws Exception {
        Future<String> next = reader.submit(lines::readLine);
        return assertInstanceOf(Message.Beat.class, Protocol.parse(next.get(10, TimeUnit.SECONDS)));
    }
}
