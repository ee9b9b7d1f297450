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

    /*
     * The functions that report failure in errno all return an int and take at most five integer or pointer
     * arguments, so they share one downcall shape: int f(long, long, long, long, long). The JVM generates a stub per
     * shape (about 7 ms each, and the first link of all 60 ms), and a starting master links seven of them on its way
     * to its first worker. Passing each argument as a 64-bit integer (an int sign-extended, a pointer as its address)
     * and more arguments than a function reads is what the C calling conventions of every 64-bit Linux target
     * (x86-64, AArch64, RISC-V, POWER) allow: arguments go in registers the callee ignores if it does not read them.
     */
    private static final MethodHandle ERRNO_CALL = LINKER.downcallHandle(
            FunctionDescriptor.of(INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));

    private static final Symbol SOCKET = new Symbol("socket");
    private static final Symbol SETSOCKOPT = new Symbol("setsockopt");
    private static final Symbol BIND = new Symbol("bind");
    private static final Symbol LISTEN = new Symbol("listen");
    private static final Symbol DUP = new Symbol("dup");
    private static final Symbol DUP2 = new Symbol("dup2");
    private static final Symbol CLOSE = new Symbol("close");
    // open(2) is variadic; without O_CREAT it takes no mode, and so no variadic argument is read.
    private static final Symbol OPEN = new Symbol("open");
    private static final Symbol KILL = new Symbol("kill");
    private static final Symbol GETSOCKNAME = new Symbol("getsockname");
    private static final Symbol SCHED_SETAFFINITY = new Symbol("sched_setaffinity");

    private static final Function UMASK = new Function("umask", FunctionDescriptor.of(INT, INT));
    private static final Function SIGNAL = new Function("signal", FunctionDescriptor.of(ValueLayout.ADDRESS, INT, ValueLayout.ADDRESS));
    private static final Function STRERROR = new Function("strerror",
            FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(java.lang.foreign.MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)), INT));

    /** A libc function's address, looked up at its first call. Two threads that look it up first find the same. */
    private static final class Symbol {
        private final String name;
        private volatile MemorySegment address;

        Symbol(String name) {
            this.name = name;
        }

        MemorySegment address() {
            MemorySegment found = address;
            if (found == null) {
                found = LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
                address = found;
            }
            return found;
        }
    }

    /** A libc function of a shape of its own (no errno), linked at its first call; two threads may both link it, harmlessly. */
    private static final class Function {
        private final Symbol symbol;
        private final FunctionDescriptor descriptor;
        private volatile MethodHandle handle;

        Function(String name, FunctionDescriptor descriptor) {
            this.symbol = new Symbol(name);
            this.descriptor = descriptor;
        }

        MethodHandle handle() {
            MethodHandle linked = handle;
            if (linked == null) {
                linked = LINKER.downcallHandle(symbol.address(), descriptor);
                handle = linked;
            }
            return linked;
        }
    }

    private Libc() {}

    static Result socket(int domain, int type, int protocol) {
        return call(SOCKET, domain, type, protocol, 0, 0);
    }

    static Result setIntOption(int fd, int level, int option, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment holder = arena.allocateFrom(INT, value);
            return call(SETSOCKOPT, fd, level, option, holder.address(), INT.byteSize());
        }
    }

    static Result bind(int fd, MemorySegment address) {
        return call(BIND, fd, address.address(), address.byteSize(), 0, 0);
    }

    static Result listen(int fd, int backlog) {
        return call(LISTEN, fd, backlog, 0, 0, 0);
    }

    public static Result dup(int fd) {
        return call(DUP, fd, 0, 0, 0, 0);
    }

    public static Result dup2(int from, int to) {
        return call(DUP2, from, to, 0, 0, 0);
    }

    public static Result close(int fd) {
        return call(CLOSE, fd, 0, 0, 0, 0);
    }

    static Result open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            return call(OPEN, arena.allocateFrom(path).address(), flags, 0, 0, 0);
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
        return call(KILL, (int) pid, signal, 0, 0, 0);
    }

    /** Fills {@code address} with the socket's local address; returns libc's result. */
    public static Result getsockname(int fd, MemorySegment address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment length = arena.allocateFrom(INT, (int) address.byteSize());
            return call(GETSOCKNAME, fd, address.address(), length.address(), 0, 0);
        }
    }

    /** sched_setaffinity(2) of thread {@code tid}: {@code mask} is a cpu_set_t, one bit per CPU id. */
    public static Result schedSetaffinity(int tid, MemorySegment mask) {
        return call(SCHED_SETAFFINITY, tid, mask.byteSize(), mask.address(), 0, 0);
    }

    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.handle().invokeExact(errno);
            return text.getString(0);
        } catch (Throwable e) {
            return "errno " + errno;
        }
    }

    /** Calls {@code symbol} with five arguments (those it does not take are ignored), capturing errno. */
    private static Result call(Symbol symbol, long a, long b, long c, long d, long e) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int value = (int) ERRNO_CALL.invokeExact(symbol.address(), state, a, b, c, d, e);
            return new Result(value, (int) ERRNO.get(state, 0L));
        } catch (Throwable t) {
            throw new IllegalStateException("libc call failed: " + t, t);
        }
    }
}
