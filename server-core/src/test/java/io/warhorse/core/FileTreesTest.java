package io.warhorse.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @TempDir
    Path dir;

    @Test
    void removesAFolderWithNestedFoldersAndFilesButNothingBesideIt() throws Exception {
        Path root = dir.resolve("run");
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("a/b/c/file"), "x");
        Files.writeString(root.resolve("top"), "y");
        Path beside = Files.writeString(dir.resolve("beside"), "z");

        FileTrees.delete(root);

        assertFalse(Files.exists(root));
        assertTrue(Files.exists(beside));
    }

    @Test
    void aMissingRootOrASingleFileIsNoError() throws Exception {
        assertDoesNotThrow(() -> FileTrees.delete(dir.resolve("never-made")));
        Path file = Files.writeString(dir.resolve("one"), "x");
        FileTrees.delete(file);
        assertFalse(Files.exists(file));
    }
}
