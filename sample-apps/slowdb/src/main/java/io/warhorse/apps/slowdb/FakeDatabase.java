package io.warhorse.apps.slowdb;

import java.io.IOException;
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
 * A "database" on 127.0.0.1 that accepts connections and never answers, so that a query is a blocking socket
 * read with a timeout: the same system call a JDBC driver makes while waiting for its server.
 *
 * <p>Why a socket read rather than {@code Thread.sleep}: a virtual thread blocked in a socket read is parked by
 * the JDK's I/O poller, a platform thread is held in {@code poll(2)}, and an fd is in use for the duration,
 * exactly as with a real driver; {@code sleep} exercises none of that. The servlet can still be switched to
 * {@code sleep} (init-param {@code blocking} in web.xml, or {@code ?via=sleep}) to compare.
 *
 * <p>Why it is robust under a thousand concurrent queries: one daemon thread (a {@link Selector}) accepts every
 * connection at once, so the listen backlog never fills (a full backlog would make {@code connect} hang in SYN
 * retries); it reads each accepted connection and closes it when the client closes (EOF), so nothing outlives
 * its query. Each query in flight costs two fds (client and server end), released when it returns.
 *
 * <p>Threads: {@link #query} runs on the request thread; everything else on the "slowdb-fake-database" thread.
 */
final class FakeDatabase implements AutoCloseable {
    private static final int BACKLOG = 4096;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final InetSocketAddress address;
    private final Thread thread;
    private volatile boolean running = true;

    FakeDatabase() throws IOException {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        address = (InetSocketAddress) server.getLocalAddress();
        thread = Thread.ofPlatform().daemon().name("slowdb-fake-database").start(this::serve);
    }

    /** Blocks the calling thread for about {@code millis} ms in a socket connect and read, like a slow query. */
    void query(long millis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) Math.max(1, millis));
            for (long left = remainingMillis(deadline); left > 0; left = remainingMillis(deadline)) {
                socket.setSoTimeout((int) left);
                if (socket.getInputStream().read() < 0) {
                    throw new IOException("the fake database closed the connection (is the app stopping?)");
                }
            }
        } catch (SocketTimeoutException expected) {
            // The "query" is done: the server never answers, so a timeout is its normal end.
        }
    }

    private static long remainingMillis(long deadline) {
        return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime() + 999_999);
    }

    private void serve() {
        ByteBuffer sink = ByteBuffer.allocate(512);
        while (running) {
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
                if (running) {
                    System.err.println("slowdb: fake database: " + e);
                }
            }
        }
    }

    private void acceptAll() throws IOException {
        for (SocketChannel client = server.accept(); client != null; client = server.accept()) {
            client.configureBlocking(false);
            client.register(selector, SelectionKey.OP_READ);
        }
    }

    /** Clients never send anything; readable means EOF (the query ended) or a reset: close our end. */
    private static void drainOrClose(SelectionKey key, ByteBuffer sink) {
        SocketChannel channel = (SocketChannel) key.channel();
        try {
            sink.clear();
            if (channel.read(sink) >= 0) {
                return;
            }
        } catch (IOException reset) {
            // Same as EOF for us.
        }
        closeQuietly(key);
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // Nothing left to do with it.
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            closeQuietly(key);
        }
        server.close();
        selector.close();
    }
}
