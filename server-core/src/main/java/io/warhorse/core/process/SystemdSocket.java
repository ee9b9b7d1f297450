package io.warhorse.core.process;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * systemd socket activation: when {@code LISTEN_PID} is this process and {@code LISTEN_FDS} is at least 1, the
 * listening socket is already open on fd 3 (sd_listen_fds(3)). The master uses it instead of binding.
 */
public record SystemdSocket(int fd, int port) {

    private static final int FIRST_FD = 3;

    /** The socket systemd passed, or null when the process was not socket-activated. */
    public static SystemdSocket fromEnvironment() {
        String pid = System.getenv("LISTEN_PID");
        String fds = System.getenv("LISTEN_FDS");
        if (pid == null || fds == null || !pid.equals(Long.toString(ProcessHandle.current().pid()))
                || !fds.matches("[1-9][0-9]*")) {
            return null;
        }
        return new SystemdSocket(FIRST_FD, localPort(FIRST_FD));
    }

    private static int localPort(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(28);
            Libc.getsockname(fd, address);
            return Short.toUnsignedInt(address.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2));
        }
    }
}
