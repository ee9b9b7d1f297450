package io.warhorse.core.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Unpack folders are named after the process and removed when it exits normally. */
@Timeout(60)
class TempFoldersTest {

    @TempDir
    Path parent;

    /** Run in a child JVM: creates an unpack folder, prints it, and exits without deleting it itself. */
    public static void main(String[] args) throws Exception {
        Path folder = TempFolders.in(Path.of(args[0])).create("probe");
        Files.writeString(folder.resolve("file.txt"), "x");
        System.out.println(folder);
    }

    @Test
    void foldersAreRemovedWhenTheProcessExits() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                TempFoldersTest.class.getName(), parent.toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes()).trim();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child JVM did not exit");
        assertEquals(0, child.exitValue(), output);
        Path folder = Path.of(output.lines().reduce((first, last) -> last).orElseThrow());
        assertTrue(folder.getFileName().toString().startsWith("warhorse-" + child.pid() + "-probe-"), output);
        assertFalse(Files.exists(folder), folder + " left behind");
    }

    @Test
    void onlyFoldersOfDeadWarhorseProcessesAreOrphans() throws Exception {
        long dead = new ProcessBuilder("true").start().onExit().get().pid();
        assertTrue(TempFolders.isOrphan(Files.createDirectories(parent.resolve("warhorse-" + dead + "-shop-1"))));
        assertFalse(TempFolders.isOrphan(Files.createDirectories(
                parent.resolve("warhorse-" + ProcessHandle.current().pid() + "-shop-2"))));
        assertFalse(TempFolders.isOrphan(Files.createDirectories(parent.resolve("warhorse-notapid-shop-3"))));
        assertFalse(TempFolders.isOrphan(Files.createDirectories(parent.resolve("other-" + dead + "-x"))));
    }
}
