package io.warhorse.core.process;

import io.warhorse.core.config.HostPort;
import java.io.IOException;
import java.net.BindException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.UnresolvedAddressException;

/** Opens the app port's listening socket, turning the OS's refusals into one line an operator can act on. */
public final class ListenSocket {

    private ListenSocket() {}

    /**
     * Binds {@code where} with a listen queue of {@code backlog}.
     *
     * @throws ListenException with a message like "cannot listen on 127.0.0.1:8000: address already in use (...)"
     */
    public static ServerSocketChannel bind(HostPort where, int backlog) throws ListenException {
        return bind(where, backlog, false);
    }

    /**
     * Binds {@code where} with SO_REUSEPORT, so each worker has a socket of its own on the same port: the fallback
     * when the master cannot hand its socket down. The kernel spreads connections over the sockets, but a dying
     * worker's queued connections are reset with it.
     */
    public static ServerSocketChannel bindReusePort(HostPort where, int backlog) throws IOException {
        try {
            return bind(where, backlog, true);
        } catch (ListenException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static ServerSocketChannel bind(HostPort where, int backlog, boolean reusePort) throws ListenException {
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.bind(where.toAddress(), backlog);
            return channel;
        } catch (BindException e) {
            close(channel);
            throw new ListenException("cannot listen on " + where + ": " + reason(e)
                    + " (another server on that port? pick another with --bind HOST:PORT)", e);
        } catch (UnresolvedAddressException e) {
            close(channel);
            throw new ListenException("cannot listen on " + where + ": unknown host '" + where.host() + "'", e);
        } catch (IOException e) {
            close(channel);
            throw new ListenException("cannot listen on " + where + ": " + e.getMessage(), e);
        }
    }

    private static String reason(BindException e) {
        String message = e.getMessage() == null ? "bind failed" : e.getMessage();
        return message.toLowerCase(java.util.Locale.ROOT);
    }

    private static void close(ServerSocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the bind already failed; that is the error worth reporting
            }
        }
    }

    /** The socket could not be opened; the message says why in one line. */
    public static final class ListenException extends Exception {
        public ListenException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
