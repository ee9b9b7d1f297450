package io.warhorse.core.process;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * This process's CPU affinity: the CPUs it may run on ({@code Cpus_allowed_list}), and pinning every one of its
 * threads to a set of them. Linux's sched_setaffinity(2) pins one thread; a thread started later inherits its
 * starter's mask, so a worker pins the threads it has (the JVM's own included) as it starts, and whatever they
 * start after stays on those CPUs. Stateless; any thread (a worker calls it first thing on its main thread).
 */
public final class CpuAffinity {

    private static final int ESRCH = 3;
    /** Passes over /proc/self/task: a thread started during one by a thread not yet pinned is caught by the next. */
    private static final int PASSES = 5;

    private CpuAffinity() {}

    /** The CPUs this process may use, from /proc/self/status; empty where that cannot be read. */
    public static Optional<CpuSet> allowed() {
        return allowed(Path.of("/proc/self/status"));
    }

    /**
     * The CPUs in the {@code Cpus_allowed_list} of a /proc status file (a process's or one thread's, as
     * /proc/PID/task/TID/status); empty where the file or the line cannot be read.
     */
    public static Optional<CpuSet> allowed(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return Optional.of(CpuSet.parse(line.substring(line.indexOf(':') + 1)));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Pins every thread of this process to {@code cpus}; returns how many threads it pinned.
     *
     * @throws IOException with libc's reason (a CPU this process may not use: EINVAL; not allowed: EPERM)
     */
    public static int pinAll(CpuSet cpus) throws IOException {
        int[] ids = cpus.ids();
        if (ids.length == 0) {
            throw new IOException("no CPU to pin to");
        }
        Set<Integer> pinned = new HashSet<>();
        try (Arena arena = Arena.ofConfined()) {
            long words = Math.max(16, ids[ids.length - 1] / 64 + 1); // at least 1024 CPUs, as glibc's cpu_set_t
            MemorySegment mask = arena.allocate(ValueLayout.JAVA_LONG, words);
            for (int id : ids) {
                long index = id / 64;
                mask.setAtIndex(ValueLayout.JAVA_LONG, index, mask.getAtIndex(ValueLayout.JAVA_LONG, index) | 1L << (id % 64));
            }
            for (int pass = 0; pass < PASSES; pass++) {
                List<Integer> fresh = threads().stream().filter(tid -> !pinned.contains(tid)).toList();
                if (fresh.isEmpty()) {
                    break;
                }
                for (int tid : fresh) {
                    Libc.Result result = Libc.schedSetaffinity(tid, mask);
                    if (result.value() != 0 && result.errno() != ESRCH) { // ESRCH: the thread ended meanwhile
                        throw new IOException("cannot pin thread " + tid + " to CPUs " + cpus + ": "
                                + Libc.strerror(result.errno()));
                    }
                    pinned.add(tid);
                }
            }
        }
        return pinned.size();
    }

    private static List<Integer> threads() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(task -> task.getFileName().toString()).filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Integer::valueOf).toList();
        }
    }
}
