package io.warhorse.core.process;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * warhorse's one binding to libc, through the FFM API (Java 22+): the JDK has no way to create a listening socket
 * on a chosen file descriptor, to hand it to a child as fd 0, to send SIGQUIT to a process, or to keep a worker's
 * stdout and stderr when its inherited channel closes. Each call returns libc's result; on -1,
 * {@link Result#errno()} says why. Needs {@code --enable-native-access=ALL-UNNAMED}, which the launcher passes.
 * Thread-safe: every call is a plain downcall.
 */
public final class Libc {

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;
    static final int O_RDONLY = 0;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_REUSEPORT = 15;
    static final int EADDRINUSE = 98;
    static final int EACCES = 13;
    static final int EADDRNOTAVAIL = 99;

    /** A libc return value, with errno captured right after the call. */
    public record Result(int value, int errno) {
        public boolean failed() {
            return value == -1;
        }
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    private static final Function SOCKET = new Function("socket", FunctionDescriptor.of(INT, INT, INT, INT), true);
    private static final Function SETSOCKOPT = new Function("setsockopt",
            FunctionDescriptor.of(INT, INT, INT, INT, ValueLayout.ADDRESS, INT), true);
    private static final Function BIND = new Function("bind", FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, INT), true);
    private static final Function LISTEN = new Function("listen", FunctionDescriptor.of(INT, INT, INT), true);
    private static final Function DUP = new Function("dup", FunctionDescriptor.of(INT, INT), true);
    private static final Function DUP2 = new Function("dup2", FunctionDescriptor.of(INT, INT, INT), true);
    private static final Function CLOSE = new Function("close", FunctionDescriptor.of(INT, INT), true);
    // open(2) is variadic; without O_CREAT it takes no mode, and so no variadic argument is passed.
    private static final Function OPEN = new Function("open", FunctionDescriptor.of(INT, ValueLayout.ADDRESS, INT), true);
    private static final Function UMASK = new Function("umask", FunctionDescriptor.of(INT, INT), false);
    private static final Function KILL = new Function("kill", FunctionDescriptor.of(INT, INT, INT), true);
    private static final Function SIGNAL = new Function("signal",
            FunctionDescriptor.of(ValueLayout.ADDRESS, INT, ValueLayout.ADDRESS), false);
    private static final Function GETSOCKNAME = new Function("getsockname",
            FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS), true);
    private static final Function SCHED_SETAFFINITY = new Function("sched_setaffinity",
            FunctionDescriptor.of(INT, INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), true);
    private static final Function STRERROR = new Function("strerror",
            FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(java.lang.foreign.MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)), INT),
            false);

    /**
     * A libc function, linked at its first call. Linking costs the JVM about 7 ms a function (60 ms for the first),
     * and a starting master needs only the few it binds its socket with, on the way to its first worker. Two threads
     * that call it first may both link it: the same handle, so harmless.
     */
    private static final class Function {
        private final String name;
        private final FunctionDescriptor descriptor;
        private final boolean errno;
        private volatile MethodHandle handle;

        Function(String name, FunctionDescriptor descriptor, boolean errno) {
            this.name = name;
            this.descriptor = descriptor;
            this.errno = errno;
        }

        /** The downcall handle; with errno, it takes the capture state as its first argument. */
        MethodHandle handle() {
            MethodHandle linked = handle;
            if (linked == null) {
                MemorySegment symbol = LINKER.defaultLookup().find(name)
                        .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
                linked = errno ? LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"))
                        : LINKER.downcallHandle(symbol, descriptor);
                handle = linked;
            }
            return linked;
        }
    }

    private Libc() {}

    static Result socket(int domain, int type, int protocol) {
        return call(SOCKET, domain, type, protocol);
    }

    static Result setIntOption(int fd, int level, int option, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment holder = arena.allocateFrom(INT, value);
            return call(SETSOCKOPT, fd, level, option, holder, (int) INT.byteSize());
        }
    }

    static Result bind(int fd, MemorySegment address) {
        return call(BIND, fd, address, (int) address.byteSize());
    }

    static Result listen(int fd, int backlog) {
        return call(LISTEN, fd, backlog);
    }

    public static Result dup(int fd) {
        return call(DUP, fd);
    }

    public static Result dup2(int from, int to) {
        return call(DUP2, from, to);
    }

    public static Result close(int fd) {
        return call(CLOSE, fd);
    }

    static Result open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            return call(OPEN, arena.allocateFrom(path), flags);
        }
    }

    /** Sets this process's file mode creation mask; returns the previous one (umask(2) cannot fail). */
    public static int umask(int mask) {
        try {
            return (int) UMASK.handle().invokeExact(mask);
        } catch (Throwable e) {
            throw new IllegalStateException("umask failed: " + e, e);
        }
    }

    /** Gives {@code signal} its default action back (signal(2) with {@code SIG_DFL}). */
    static void defaultAction(int signal) {
        try {
            MemorySegment previous = (MemorySegment) SIGNAL.handle().invokeExact(signal, MemorySegment.NULL);
        } catch (Throwable e) {
            throw new IllegalStateException("signal(" + signal + ", SIG_DFL) failed: " + e, e);
        }
    }

    public static Result kill(long pid, int signal) {
        return call(KILL, (int) pid, signal);
    }

    /** Fills {@code address} with the socket's local address; returns libc's result. */
    public static Result getsockname(int fd, MemorySegment address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment length = arena.allocateFrom(INT, (int) address.byteSize());
            return call(GETSOCKNAME, fd, address, length);
        }
    }

    /** sched_setaffinity(2) of thread {@code tid}: {@code mask} is a cpu_set_t, one bit per CPU id. */
    public static Result schedSetaffinity(int tid, MemorySegment mask) {
        return call(SCHED_SETAFFINITY, tid, mask.byteSize(), mask);
    }

    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.handle().invokeExact(errno);
            return text.getString(0);
        } catch (Throwable e) {
            return "errno " + errno;
        }
    }

    private static Result call(Function function, Object... arguments) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            Object[] withState = new Object[arguments.length + 1];
            withState[0] = state;
            System.arraycopy(arguments, 0, withState, 1, arguments.length);
            int value = (int) function.handle().invokeWithArguments(withState);
            return new Result(value, (int) ERRNO.get(state, 0L));
        } catch (Throwable e) {
            throw new IllegalStateException("libc call failed: " + e, e);
        }
    }
}
