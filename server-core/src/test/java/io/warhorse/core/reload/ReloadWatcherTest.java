package io.warhorse.core.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warhorse.core.Threads;
import io.warhorse.core.testing.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reload watcher on real files: a burst of writes reloads once, after it has rested; a WAR replaced by a
 * rename, a class file deep in an exploded folder (also one created after the start, in a new folder), and a
 * folder deleted and rebuilt (mvn clean package) each reload; a sibling of a watched WAR does not. The same with
 * polling, for file systems without inotify.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReloadWatcherTest {

    private static final Duration SETTLE = Duration.ofMillis(300);
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final AtomicInteger reloads = new AtomicInteger();

    @Test
    void kernelNotifications() throws Exception {
        Layout layout = layout();
        try (ReloadWatcher watcher = ReloadWatcher.start(new WatchedTree(layout.targets()), SETTLE, Threads.create(), reloads::incrementAndGet)) {
            exercise(layout);
        }
    }

    @Test
    void polling() throws Exception {
        Layout layout = layout();
        try (ReloadWatcher watcher = ReloadWatcher.start(new PolledTree(layout.targets(), Duration.ofMillis(100)), SETTLE,
                Threads.create(), reloads::incrementAndGet)) {
            exercise(layout);
        }
    }

    private record Layout(Path war, Path exploded, Path sibling) {
        List<Path> targets() {
            return List.of(war, exploded);
        }
    }

    private Layout layout() throws IOException {
        Path war = Files.writeString(dir.resolve("shop.war"), "v1");
        Path exploded = dir.resolve("blog");
        Files.createDirectories(exploded.resolve("WEB-INF/classes/com/example"));
        Files.writeString(exploded.resolve("WEB-INF/classes/com/example/Blog.class"), "v1");
        return new Layout(war, exploded, Files.writeString(dir.resolve("notes.txt"), "unwatched"));
    }

    private void exercise(Layout layout) throws Exception {
        // a build writing one WAR in many steps: one reload, once it rests
        for (int i = 0; i < 5; i++) {
            Files.writeString(layout.war(), "v2 part " + i);
        }
        Eventually.within(LIMIT, "a reload", () -> reloads.get() >= 1);

        Files.writeString(layout.sibling(), "not a watched file");
        Path next = Files.writeString(dir.resolve("shop.war.tmp"), "v3");
        Files.move(next, layout.war(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Eventually.within(LIMIT, "a reload", () -> reloads.get() >= 2);

        Files.writeString(layout.exploded().resolve("WEB-INF/classes/com/example/Blog.class"), "v2");
        Eventually.within(LIMIT, "a reload", () -> reloads.get() >= 3);

        Path created = Files.createDirectories(layout.exploded().resolve("WEB-INF/classes/com/example/admin"));
        Files.writeString(created.resolve("Admin.class"), "v1");
        Eventually.within(LIMIT, "a reload", () -> reloads.get() >= 4);
        Files.writeString(created.resolve("Admin.class"), "v2");
        Eventually.within(LIMIT, "a reload", () -> reloads.get() >= 5);

        deleteTree(layout.exploded());
        Files.createDirectories(layout.exploded().resolve("WEB-INF/classes"));
        Files.writeString(layout.exploded().resolve("WEB-INF/classes/Rebuilt.class"), "v1");
        Eventually.within(LIMIT, "a reload", () -> reloads.get() >= 6);
        Files.writeString(layout.exploded().resolve("WEB-INF/classes/Rebuilt.class"), "v2");
        Eventually.within(LIMIT, "a reload", () -> reloads.get() >= 7);
        assertEquals(7, reloads.get(), "one reload per settled change, none for the unwatched sibling");
    }

    private static void deleteTree(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
