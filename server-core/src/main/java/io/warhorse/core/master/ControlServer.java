package io.warhorse.core.master;

import io.warhorse.core.Threads;
import io.warhorse.core.control.LineChannel;
import io.warhorse.core.control.Message;
import io.warhorse.core.control.Protocol;
import io.warhorse.core.control.ProtocolException;
import io.warhorse.core.logging.RateLimitedLog;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's control socket, a Unix domain socket (mode 0600): workers connect to it to say hello, ready and
 * heartbeat, and operators connect to it with {@code warhorse ctl}. Each connection has a reader on a virtual thread
 * of its own that parses its lines with {@link Protocol} and queues each message for the arbiter as an
 * {@link Event.Received}; it decides nothing but this: a line that is malformed, unknown, oversized, or out of place
 * for its {@link Peer} closes that connection, with a rate-limited warning. No line can reach the arbiter untyped.
 */
final class ControlServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    /** Open connections at most: each worker holds one; more means someone floods the socket. */
    private static final int MAX_CONNECTIONS = 512;

    private final Path path;
    private final ServerSocketChannel server;
    private final Threads threads;
    private final Consumer<Event> events;
    private final RateLimitedLog refusals = new RateLimitedLog(LOG, 10, Duration.ofSeconds(10), System::nanoTime);
    private final AtomicInteger open = new AtomicInteger();

    private ControlServer(Path path, ServerSocketChannel server, Threads threads, Consumer<Event> events) {
        this.path = path;
        this.server = server;
        this.threads = threads;
        this.events = events;
    }

    /** Listens on {@code path} (a stale socket file left by a dead master is replaced) and starts accepting. */
    static ControlServer open(Path path, Threads threads, Consumer<Event> events) throws IOException {
        Files.createDirectories(path.getParent());
        refuseIfLive(path);
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
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
                SocketChannel channel = server.accept();
                if (open.incrementAndGet() > MAX_CONNECTIONS) {
                    open.decrementAndGet();
                    refusals.warn("CONTROL SOCKET FULL: {} connections open; closing a new one (is something flooding {}?)",
                            MAX_CONNECTIONS, path);
                    channel.close();
                    continue;
                }
                Connection connection = new Connection(channel, refusals);
                threads.virtual("control").newThread(() -> read(connection)).start();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("control socket accept failed", e);
                }
            }
        }
    }

    private void read(Connection connection) {
        try {
            for (String line = connection.lines.readLine(); line != null; line = connection.lines.readLine()) {
                Message message = Protocol.parse(line);
                connection.peer.admit(message);
                events.accept(new Event.Received(connection, message));
            }
        } catch (ProtocolException e) {
            connection.refuse(e.getMessage());
        } catch (IOException e) {
            LOG.debug("control connection ended", e);
        } catch (RuntimeException e) {
            LOG.error("control connection {}: unexpected failure; closing it", connection, e);
        } finally {
            open.decrementAndGet();
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

    /** One peer of the control socket: a worker or a {@code warhorse ctl} client. Sent to from any thread. */
    static final class Connection {
        private final LineChannel lines;
        private final Peer peer;
        private final RateLimitedLog refusals;

        Connection(SocketChannel channel, RateLimitedLog refusals) {
            this.lines = new LineChannel(channel);
            this.peer = new Peer(channel);
            this.refusals = refusals;
        }

        boolean send(Message message) {
            return lines.send(message);
        }

        /** Logs why (rate-limited) and closes the connection. */
        void refuse(String reason) {
            refusals.warn("CONTROL REFUSED ({}): {}; connection closed. A process that is not this master's worker "
                    + "or warhorse ctl is writing to the control socket", peer, reason);
            close();
        }

        void close() {
            lines.close();
        }

        @Override
        public String toString() {
            return peer.toString();
        }
    }
}
