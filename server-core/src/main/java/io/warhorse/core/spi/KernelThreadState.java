package io.warhorse.core.spi;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the Linux kernel says a platform thread is doing, from {@code /proc/self/task/TID/stat}: running or
 * runnable ('R'), or asleep ('S', 'D': a blocking read, a sleep, a park, a lock). The JVM cannot tell these apart:
 * a thread in a blocking socket read and a thread preempted in the middle of a system call are both RUNNABLE in a
 * native method, and on a busy machine the second is common (waking another thread is where the kernel preempts).
 * The kinds' watchdogs use it to tell a request that waits from one that a busy machine keeps from running.
 *
 * <p>A thread is found by its name, which the JVM gives its native thread too ({@code /proc/self/task/TID/comm},
 * at most 15 characters): so only for threads whose names are short and unique, such as the kinds' own
 * ({@code async-1}, {@code cpu-2}). Where there is no {@code /proc} or the name is ambiguous, the state is unknown.
 * Any thread; a lookup of a new name reads every task's name once.
 */
public final class KernelThreadState {

    /** What {@link #of} returns when the state cannot be told. */
    public static final char UNKNOWN = '?';
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final boolean PROC = Files.isDirectory(TASKS);
    private static final Map<String, Path> STATS = new ConcurrentHashMap<>();
    /** Remembered for a name two threads share: not looked up again. */
    private static final Path NONE = Path.of("");

    private KernelThreadState() {}

    /** True if the kernel has {@code thread} asleep: waiting, not running and not wanting to run. */
    public static boolean asleep(Thread thread) {
        char state = of(thread);
        return state == 'S' || state == 'D';
    }

    /** The kernel's state letter for the platform thread {@code thread}, or {@link #UNKNOWN}. */
    public static char of(Thread thread) {
        if (!PROC || thread.isVirtual() || thread.getName().length() > 15) {
            return UNKNOWN;
        }
        Path stat = STATS.computeIfAbsent(thread.getName(), KernelThreadState::find);
        if (stat == null || stat == NONE) {
            return UNKNOWN; // not found (yet: a thread names its native thread as it starts) or ambiguous
        }
        try {
            String line = Files.readString(stat);
            int end = line.lastIndexOf(')');
            return end < 0 || end + 2 >= line.length() ? UNKNOWN : line.charAt(end + 2);
        } catch (IOException | RuntimeException e) {
            STATS.remove(thread.getName()); // the thread ended; a new one of the same name gets looked up anew
            return UNKNOWN;
        }
    }

    private static Path find(String name) {
        Path found = null;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                if (name.equals(readQuietly(task.resolve("comm")))) {
                    if (found != null) {
                        return NONE; // two threads of that name: cannot tell which
                    }
                    found = task.resolve("stat");
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return found;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
