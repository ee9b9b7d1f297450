package io.warhorse.core.worker;

import io.warhorse.core.Threads;
import io.warhorse.core.control.LineChannel;
import io.warhorse.core.control.Message;
import io.warhorse.core.control.Protocol;
import io.warhorse.core.control.ProtocolException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's line to its master over the master's control socket: {@code hello}, then {@code ready} once the apps
 * serve, and {@code beat REQUESTS IN_FLIGHT} from a thread of its own every {@code timeout / 4}. That thread
 * keeps beating while request threads are busy or stuck; it stops only when the whole JVM does (GC death spiral,
 * SIGSTOP), which is exactly what the master's timeout is for. Past {@code max-requests} it beats sooner (see
 * {@link #startHeartbeat}). Lines from the master ({@code unready}) and the loss of the connection (the master died)
 * are passed to the worker. The last line is {@code bye}: the worker is done and its JVM is exiting, which takes a
 * while when it writes an AOT configuration, and beats no more.
 */
final class ControlClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlClient.class);

    /** How soon a worker past {@code max-requests} tells the master of each further request it served. */
    static final long DUE_TICK_MILLIS = 100;

    private final LineChannel lines;
    private ScheduledExecutorService heartbeat;
    /** Set when the worker itself closes the line at exit: its end then is no sign of a lost master. */
    private volatile boolean closed;

    private ControlClient(SocketChannel channel) {
        this.lines = new LineChannel(channel);
    }

    /** Connects and says hello with {@code secret}, the one the master put in this worker's environment. */
    static ControlClient connect(Path socket, int id, String kind, String secret) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        ControlClient client = new ControlClient(channel);
        client.send(new Message.Hello(Protocol.VERSION, id, ProcessHandle.current().pid(), kind, secret));
        return client;
    }

    /**
     * Beats every {@code period}, reporting the counters the suppliers give. Once {@code served} reaches
     * {@code dueFrom} (the least count at which the master recycles this worker: {@code max-requests} before its
     * jitter; {@code Long.MAX_VALUE} when off), it also beats within {@link #DUE_TICK_MILLIS} of each change of the
     * count, as the master only learns the count from beats: with beats alone, a worker served up to
     * {@code timeout / 4} past its quota (seconds of requests) before the master saw it.
     */
    void startHeartbeat(Threads threads, Duration period, long dueFrom, LongSupplier served, LongSupplier inFlight,
                        Runnable onLost) {
        heartbeat = threads.scheduler("heartbeat");
        long millis = Math.max(50, period.toMillis());
        long tick = dueFrom == Long.MAX_VALUE ? millis : Math.min(millis, DUE_TICK_MILLIS);
        long ticksPerBeat = Math.max(1, millis / tick);
        // ticks since the last beat (the first beat goes at once) and the count it said; this thread's alone
        long[] last = {ticksPerBeat, -1};
        heartbeat.scheduleAtFixedRate(() -> {
            long count = served.getAsLong();
            if (++last[0] < ticksPerBeat && (count < dueFrom || count == last[1])) {
                return;
            }
            last[0] = 0;
            last[1] = count;
            if (!send(new Message.Beat(count, inFlight.getAsLong())) && !closed) {
                onLost.run();
            }
        }, 0, tick, TimeUnit.MILLISECONDS);
    }

    /**
     * Reads the master's messages on a thread of its own; {@code onLost} runs when the master goes away. A line that
     * is not a message is logged and skipped: the master is trusted, and leaving it would stop this worker.
     */
    void listen(Threads threads, Consumer<Message> onMessage, Runnable onLost) {
        threads.startDaemon("control-reader", () -> {
            try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    try {
                        onMessage.accept(Protocol.parse(line));
                    } catch (ProtocolException e) {
                        LOG.warn("worker {}: unreadable line from the master skipped: {}", ProcessHandle.current().pid(), e.getMessage());
                    }
                }
            } catch (IOException | ProtocolException e) {
                // the master is gone (or sent a line too long to read): handled below
            }
            if (!closed) {
                onLost.run();
            }
        });
    }

    void ready() {
        send(new Message.Ready());
    }

    /** False if the master is gone. */
    boolean send(Message message) {
        return lines.send(message);
    }

    @Override
    public void close() {
        closed = true;
        if (heartbeat != null) {
            // not shutdownNow: interrupting a beat mid-write would close the channel before the bye
            Threads.stop(heartbeat, Duration.ofSeconds(5), false);
        }
        send(new Message.Bye());
        lines.close();
    }
}
