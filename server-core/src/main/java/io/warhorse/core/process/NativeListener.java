package io.warhorse.core.process;

import io.warhorse.core.config.HostPort;
import io.warhorse.core.process.ListenSocket.ListenException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * The master's listening socket, made with libc so it can sit on a file descriptor of warhorse's choosing:
 * fd 0, which {@code ProcessBuilder.redirectInput(INHERIT)} hands to every worker and which the JDK does not close
 * in the child (it closes every fd above 2). Workers read it back with {@code System.inheritedChannel()}.
 * Connections wait in this one kernel queue, which outlives any worker.
 */
public final class NativeListener {

    private static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final int port;

    private NativeListener(int port) {
        this.port = port;
    }

    /** Binds and listens on {@code where}, then moves the socket onto this process's fd 0. */
    public static NativeListener bindOntoStdin(HostPort where, int backlog) throws ListenException {
        InetAddress address = resolve(where);
        int family = address instanceof Inet6Address ? Libc.AF_INET6 : Libc.AF_INET;
        Libc.Result socket = Libc.socket(family, Libc.SOCK_STREAM, 0);
        check(socket, where, "socket");
        int fd = socket.value();
        try (Arena arena = Arena.ofConfined()) {
            check(Libc.setIntOption(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1), where, "setsockopt");
            check(Libc.bind(fd, sockaddr(arena, family, address, where.port())), where, "bind");
            check(Libc.listen(fd, backlog), where, "listen");
            int port = boundPort(arena, fd, family);
            if (fd != 0) {
                check(Libc.dup2(fd, 0), where, "dup2");
            }
            return new NativeListener(port);
        } finally {
            if (fd != 0) {
                Libc.close(fd);
            }
        }
    }

    /** Moves an already-listening socket (systemd's fd 3) onto fd 0. */
    public static NativeListener adoptOntoStdin(int fd, int port) throws ListenException {
        Libc.Result moved = Libc.dup2(fd, 0);
        if (moved.failed()) {
            throw new ListenException("cannot use the socket systemd passed on fd " + fd + ": " + Libc.strerror(moved.errno()), null);
        }
        Libc.close(fd);
        return new NativeListener(port);
    }

    /**
     * Stops listening in this process at the start of a stop: fd 0 becomes /dev/null (not merely closed, so no
     * file opened later lands on fd 0). Once the workers have closed their copies too, the socket is closed: new
     * connections are refused at once, instead of waiting in its queue until the master exits and being reset.
     */
    public static void releaseStdin() {
        Libc.Result devNull = Libc.open("/dev/null", Libc.O_RDONLY);
        if (devNull.failed()) {
            Libc.close(0);
            return;
        }
        Libc.dup2(devNull.value(), 0);
        Libc.close(devNull.value());
    }

    /** The port bound (the real one when asked for port 0). */
    public int port() {
        return port;
    }

    private static InetAddress resolve(HostPort where) throws ListenException {
        try {
            return InetAddress.getByName(where.host());
        } catch (UnknownHostException e) {
            throw new ListenException("cannot listen on " + where + ": unknown host '" + where.host() + "'", e);
        }
    }

    private static MemorySegment sockaddr(Arena arena, int family, InetAddress address, int port) {
        byte[] raw = address.getAddress();
        if (family == Libc.AF_INET) { // struct sockaddr_in: family, port, addr[4], zero[8]
            MemorySegment in = arena.allocate(16);
            in.set(ValueLayout.JAVA_SHORT, 0, (short) family);
            in.set(NET_SHORT, 2, (short) port);
            MemorySegment.copy(raw, 0, in, ValueLayout.JAVA_BYTE, 4, 4);
            return in;
        }
        MemorySegment in6 = arena.allocate(28); // struct sockaddr_in6: family, port, flowinfo, addr[16], scope_id
        in6.set(ValueLayout.JAVA_SHORT, 0, (short) family);
        in6.set(NET_SHORT, 2, (short) port);
        MemorySegment.copy(raw, 0, in6, ValueLayout.JAVA_BYTE, 8, 16);
        in6.set(ValueLayout.JAVA_INT_UNALIGNED, 24, ((Inet6Address) address).getScopeId());
        return in6;
    }

    private static int boundPort(Arena arena, int fd, int family) {
        MemorySegment bound = arena.allocate(family == Libc.AF_INET ? 16 : 28);
        Libc.getsockname(fd, bound);
        return Short.toUnsignedInt(bound.get(NET_SHORT, 2));
    }

    private static void check(Libc.Result result, HostPort where, String call) throws ListenException {
        if (!result.failed()) {
            return;
        }
        String reason = switch (result.errno()) {
            case Libc.EADDRINUSE -> "address already in use (another server on that port? pick another with --bind HOST:PORT)";
            case Libc.EACCES -> "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
            case Libc.EADDRNOTAVAIL -> "address not available on this machine (check the host in --bind)";
            default -> call + ": " + Libc.strerror(result.errno()).toLowerCase(java.util.Locale.ROOT);
        };
        throw new ListenException("cannot listen on " + where + ": " + reason, null);
    }
}
