package io.warhorse.core.master;

import io.warhorse.core.Threads;
import io.warhorse.core.control.LineChannel;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's control socket, a Unix domain socket: workers connect to it to say hello, ready and heartbeat,
 * and operators connect to it with {@code warhorse ctl}. It reads lines and queues them for the arbiter as
 * {@link Event.Line}s; it decides nothing. Each connection has a reader on a virtual thread of its own.
 */
final class ControlServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final Path path;
    private final ServerSocketChannel server;
    private final Threads threads;
    private final Consumer<Event> events;

    private ControlServer(Path path, ServerSocketChannel server, Threads threads, Consumer<Event> events) {
        this.path = path;
        this.server = server;
        this.threads = threads;
        this.events = events;
    }

    /** Listens on {@code path} (a stale socket file left by a dead master is replaced) and starts accepting. */
    static ControlServer open(Path path, Threads threads, Consumer<Event> events) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        refuseIfLive(path);
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        ControlServer control = new ControlServer(path, server, threads, events);
        threads.startDaemon("control-accept", control::acceptLoop);
        return control;
    }

    private static void refuseIfLive(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            throw new IOException("control socket " + path + " is in use by a running warhorse master; stop it "
                    + "(warhorse ctl stop) or set warhorse.control-socket to another path");
        } catch (IOException refused) {
            if (refused.getMessage() != null && refused.getMessage().contains("in use by a running warhorse")) {
                throw refused;
            }
        }
    }

    Path path() {
        return path;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel connection = server.accept();
                threads.virtual("control").newThread(() -> readLines(new Connection(connection))).start();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("control socket accept failed", e);
                }
            }
        }
    }

    private void readLines(Connection connection) {
        try {
            for (String line = connection.lines.readLine(); line != null; line = connection.lines.readLine()) {
                events.accept(new Event.Line(connection, line));
            }
        } catch (IOException e) {
            LOG.debug("control connection ended", e);
        } finally {
            events.accept(new Event.Closed(connection));
            connection.close();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("closing control socket", e);
        }
    }

    /** One peer of the control socket: a worker or a {@code warhorse ctl} client. */
    static final class Connection {
        private final LineChannel lines;

        Connection(SocketChannel channel) {
            this.lines = new LineChannel(channel);
        }

        boolean send(String text) {
            return lines.send(text);
        }

        void close() {
            lines.close();
        }
    }
}
