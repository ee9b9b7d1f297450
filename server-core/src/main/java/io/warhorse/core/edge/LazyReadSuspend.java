package io.warhorse.core.edge;

import org.xnio.StreamConnection;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ReadReadyHandler;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Suspends a connection's reads lazily: {@link #suspendReads} only notes that no read-ready event is wanted, and the
 * socket stops being watched for reads only if one arrives meanwhile. Undertow suspends an HTTP/1.1 connection's
 * reads when it has parsed a request and resumes them when the exchange completes, and each of the two changes of
 * the socket's interest set became an {@code epoll_ctl} call on the I/O thread, which rarely falls in the same
 * select round as its counterpart when the request runs on another thread: 1.2 calls per request on the virtual
 * kind under S1 (perf trace, 2026-12-02), as many as its reads. The next request's bytes, a client's close or a
 * pipelined request that arrive while a request runs cost one real suspension then, as they did before; nothing is
 * handed to the connection's listener while it is suspended, as before.
 *
 * <p>Sits directly over the socket's conduit of a plain connection (TLS and PROXY connections keep Undertow's own
 * suspension), so every suspension of the connection's reads passes through it. Its read-ready handler runs on the
 * connection's I/O thread; suspending and resuming on any thread, under this object's lock, so that a resumption
 * never loses to a late real suspension.
 */
final class LazyReadSuspend extends AbstractStreamSourceConduit<StreamSourceConduit> {

    /** Whether the connection's reads are suspended, as its users see them. Guarded by this. */
    private boolean suspended;

    LazyReadSuspend(StreamSourceConduit socket) {
        super(socket);
        synchronized (this) {
            suspended = !socket.isReadResumed();
        }
    }

    /** Puts the lazy suspension over {@code connection}'s socket, fresh from the acceptor; returns the connection. */
    static <C extends StreamConnection> C install(C connection) {
        var source = connection.getSourceChannel();
        LazyReadSuspend lazy = new LazyReadSuspend(source.getConduit());
        source.setConduit(lazy);
        lazy.setReadReadyHandler(new ReadReadyHandler.ChannelListenerHandler<>(source));
        return connection;
    }

    @Override
    public synchronized void suspendReads() {
        suspended = true;
    }

    @Override
    public synchronized void resumeReads() {
        suspended = false;
        next.resumeReads();
    }

    @Override
    public synchronized void wakeupReads() {
        suspended = false;
        next.wakeupReads();
    }

    @Override
    public synchronized boolean isReadResumed() {
        return !suspended && next.isReadResumed();
    }

    @Override
    public void setReadReadyHandler(ReadReadyHandler handler) {
        next.setReadReadyHandler(new Gate(handler));
    }

    /** Suspends the socket's reads for real if the connection's are suspended; true if it did. */
    private synchronized boolean suspendedForReal() {
        if (suspended) {
            next.suspendReads();
        }
        return suspended;
    }

    /** The socket's read-ready handler: passes an event on only while the connection's reads are resumed. */
    private final class Gate implements ReadReadyHandler {

        private final ReadReadyHandler handler;

        Gate(ReadReadyHandler handler) {
            this.handler = handler;
        }

        @Override
        public void readReady() {
            if (!suspendedForReal()) {
                handler.readReady();
            }
        }

        @Override
        public void forceTermination() {
            handler.forceTermination();
        }

        @Override
        public void terminated() {
            handler.terminated();
        }
    }
}
