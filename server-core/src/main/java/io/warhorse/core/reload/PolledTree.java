package io.warhorse.core.reload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Changes found by comparing the size and modification time of every watched file every {@code interval}: where
 * the kernel's notifications cannot be used. At most {@link #MAX_FILES} files are compared, so one pass stays
 * cheap; the thread sleeps between passes. Runs on the reload watcher's thread.
 */
final class PolledTree implements Changes {

    static final int MAX_FILES = 100_000;

    private final List<Path> targets;
    private final long intervalNanos;
    private Map<Path, String> last;

    PolledTree(List<Path> targets, Duration interval) {
        this.targets = List.copyOf(targets);
        this.intervalNanos = interval.toNanos();
        this.last = snapshot();
    }

    @Override
    public Path next(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(Math.min(nanos, intervalNanos));
        Map<Path, String> now = snapshot();
        Path changed = now.entrySet().stream().filter(entry -> !entry.getValue().equals(last.get(entry.getKey())))
                .map(Map.Entry::getKey).findFirst()
                .orElse(last.keySet().stream().filter(path -> !now.containsKey(path)).findFirst().orElse(null));
        last = now;
        return changed;
    }

    /** Every watched file (and every file below a watched folder) with its size and modification time. */
    private Map<Path, String> snapshot() {
        Map<Path, String> files = new HashMap<>();
        for (Path target : targets) {
            if (!Files.exists(target)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(target)) {
                walk.limit(MAX_FILES - files.size()).forEach(file -> files.put(file, stamp(file)));
            } catch (IOException | UncheckedIOException e) {
                files.put(target, "unreadable"); // being rewritten: the next pass sees it again
            }
        }
        return files;
    }

    private static String stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
        } catch (IOException e) {
            return "gone"; // deleted between the walk and now
        }
    }

    @Override
    public void close() {
        // nothing held between passes
    }
}
