package io.warhorse.core.reload;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Changes reported by the kernel ({@link WatchService}: inotify on Linux). A watched file is seen through its
 * folder, so a WAR replaced by a rename is seen too; a watched folder is watched with every folder below it,
 * and folders created later (a rebuild's {@code WEB-INF/classes/...}) are added as they appear, up to
 * {@link #MAX_FOLDERS}. Runs on the reload watcher's thread.
 */
final class WatchedTree implements Changes {

    /** More folders than this is no webapp: the caller falls back to polling rather than exhaust inotify. */
    static final int MAX_FOLDERS = 4096;

    private final WatchService service;
    private final List<Path> targets;
    private final Map<WatchKey, Path> folders = new HashMap<>();

    WatchedTree(List<Path> targets) throws IOException {
        this.targets = List.copyOf(targets);
        this.service = FileSystems.getDefault().newWatchService();
        try {
            for (Path target : this.targets) {
                if (target.getParent() != null && Files.isDirectory(target.getParent())) {
                    register(target.getParent());
                }
                if (Files.isDirectory(target)) {
                    registerTree(target);
                }
            }
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
    }

    @Override
    public Path next(long nanos) throws InterruptedException, IOException {
        WatchKey key = service.poll(nanos, TimeUnit.NANOSECONDS);
        if (key == null) {
            return null;
        }
        Path folder = folders.get(key);
        Path changed = null;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == OVERFLOW) {
                changed = folder; // events were lost: something below changed
                continue;
            }
            Path file = folder.resolve((Path) event.context());
            if (watched(file)) {
                changed = file;
                if (event.kind() == ENTRY_CREATE && Files.isDirectory(file)) {
                    registerTree(file);
                }
            }
        }
        if (!key.reset()) {
            folders.remove(key); // the folder is gone; its parent's watch sees it come back
        }
        return changed;
    }

    /** A watched file itself, or anything below a watched folder. */
    private boolean watched(Path file) {
        return targets.stream().anyMatch(target -> file.equals(target) || file.startsWith(target));
    }

    private void registerTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                register(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // deleted while walking: its folder's watch reports it
            }
        });
    }

    private void register(Path folder) throws IOException {
        if (folders.size() >= MAX_FOLDERS) {
            throw new IOException("more than " + MAX_FOLDERS + " folders to watch");
        }
        folders.put(folder.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), folder);
    }

    @Override
    public void close() throws IOException {
        service.close();
    }
}
