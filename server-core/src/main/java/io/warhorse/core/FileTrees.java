package io.warhorse.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removes a folder and everything in it, as the master (its run folder, a scratch folder), the worker (its own run
 * folder) and the WAR unpacker (its folders) do when they stop. Runs on the caller's thread.
 */
public final class FileTrees {

    private FileTrees() {}

    /**
     * Deletes {@code root} (a folder or a file), deepest entries first; a root that does not exist is no error.
     * Every entry is tried even when one fails.
     *
     * @throws IOException the first entry that could not be deleted, with the others' failures suppressed in it
     */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> entries;
        try (Stream<Path> tree = Files.walk(root)) {
            entries = tree.sorted(Comparator.reverseOrder()).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        IOException failed = null;
        for (Path entry : entries) {
            try {
                Files.deleteIfExists(entry);
            } catch (NoSuchFileException e) {
                // gone meanwhile
            } catch (IOException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
