package io.warhorse.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * A "database" on 127.0.0.1 that accepts connections and never answers, so that a query is a blocking socket read
 * with a timeout, the system call a JDBC driver makes while it waits. Same design as slowdb.war's: one selector
 * thread accepts everything at once (the backlog never fills) and closes each connection on the client's EOF.
 */
final class FakeDatabase {
    private static final class Holder {
        static final FakeDatabase INSTANCE = open();
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final InetSocketAddress address;

    private FakeDatabase() throws IOException {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        address = (InetSocketAddress) server.getLocalAddress();
        Thread.ofPlatform().daemon().name("fake-database").start(this::serve);
    }

    static FakeDatabase shared() {
        return Holder.INSTANCE;
    }

    private static FakeDatabase open() {
        try {
            return new FakeDatabase();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the fake database on 127.0.0.1", e);
        }
    }

    void query(long millis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) Math.max(1, millis));
            for (long left = remainingMillis(deadline); left > 0; left = remainingMillis(deadline)) {
                socket.setSoTimeout((int) left);
                if (socket.getInputStream().read() < 0) {
                    throw new IOException("the fake database closed the connection");
                }
            }
        } catch (SocketTimeoutException expected) {
            // The database never answers: a timeout is the query's normal end.
        }
    }

    private static long remainingMillis(long deadline) {
        return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime() + 999_999);
    }

    private void serve() {
        ByteBuffer sink = ByteBuffer.allocate(512);
        while (true) {
            try {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isAcceptable()) {
                        acceptAll();
                    } else if (key.isValid() && key.isReadable()) {
                        drainOrClose(key, sink);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                System.err.println("fake database: " + e);
            }
        }
    }

    private void acceptAll() throws IOException {
        for (SocketChannel client = server.accept(); client != null; client = server.accept()) {
            client.configureBlocking(false);
            client.register(selector, SelectionKey.OP_READ);
        }
    }

    private static void drainOrClose(SelectionKey key, ByteBuffer sink) {
        SocketChannel channel = (SocketChannel) key.channel();
        try {
            sink.clear();
            if (channel.read(sink) >= 0) {
                return;
            }
        } catch (IOException reset) {
            // Same as EOF.
        }
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing left to do.
        }
    }
}
