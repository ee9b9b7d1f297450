package io.warhorse.core.deploy;

import io.warhorse.core.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folders WARs are unpacked into. Each is named {@code warhorse-<pid>-<app>-<random>} so that a later run can tell
 * which ones a crashed process left behind (its pid is gone) and remove them, while those of a live worker stay.
 * Folders still present at exit are removed by one shutdown hook; a SIGKILLed worker leaves them to that sweep.
 */
final class TempFolders {

    private static final Logger LOG = LoggerFactory.getLogger(TempFolders.class);
    private static final String PREFIX = "warhorse-";
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TempFolders::deleteAllLive, "warhorse-temp-cleanup"));
    }

    private final Path parent;

    private TempFolders(Path parent) {
        this.parent = parent;
    }

    /** {@code parent} null or empty means the system temp dir. */
    static TempFolders in(Path parent) {
        boolean unset = parent == null || parent.toString().isEmpty();
        return new TempFolders(unset ? Path.of(System.getProperty("java.io.tmpdir")) : parent);
    }

    Path parent() {
        return parent;
    }

    /** Creates a fresh folder for the app called {@code name}; it is deleted at exit unless {@link #delete} ran first. */
    Path create(String name) throws IOException {
        Files.createDirectories(parent);
        Path folder = Files.createTempDirectory(parent, PREFIX + ProcessHandle.current().pid() + "-" + name + "-");
        LIVE.add(folder);
        return folder;
    }

    /** Removes folders left by warhorse processes that no longer run; never those of a live process. */
    void removeStale() {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> children = Files.list(parent)) {
            children.filter(TempFolders::isOrphan).forEach(TempFolders::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not look for stale unpacked WARs in {}: {}", parent, e.toString());
        }
    }

    static void delete(Path folder) {
        deleteQuietly(folder);
        LIVE.remove(folder);
    }

    static boolean isOrphan(Path folder) {
        String name = folder.getFileName().toString();
        if (!name.startsWith(PREFIX) || !Files.isDirectory(folder)) {
            return false;
        }
        String rest = name.substring(PREFIX.length());
        int dash = rest.indexOf('-');
        if (dash <= 0) {
            return false;
        }
        try {
            long pid = Long.parseLong(rest.substring(0, dash));
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void deleteAllLive() {
        LIVE.forEach(TempFolders::deleteQuietly);
    }

    private static void deleteQuietly(Path folder) {
        try {
            FileTrees.delete(folder);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", folder, e.toString());
        }
    }
}
