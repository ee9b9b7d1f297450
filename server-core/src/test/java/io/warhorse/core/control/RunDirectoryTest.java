package io.warhorse.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.warhorse.core.config.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

    @TempDir
    Path dir;

    private final int uid = RunDirectory.currentUid();

    @Test
    void workersOfAnotherUserUseThatUsersFolderWhereTheyCanReachTheSocket() throws IOException {
        assertEquals(Path.of("/t/warhorse-0/8000.sock"), RunDirectory.socket(TestSettings.of("warhorse.user", "root"), 8000,
                Map.of("XDG_RUNTIME_DIR", "/run/user/7", "TMPDIR", "/t")));
        assertThrows(IOException.class, () -> RunDirectory.uidOf("no-such-user-here"));
    }

    @Test
    void xdgRuntimeDirFirstThenTmpdirWithTheUserId() throws IOException {
        assertEquals(Path.of("/run/user/7/warhorse"), RunDirectory.base(Map.of("XDG_RUNTIME_DIR", "/run/user/7", "TMPDIR", "/t")));
        assertEquals(Path.of("/t/warhorse-" + uid), RunDirectory.base(Map.of("TMPDIR", "/t")));
        assertEquals(Path.of("/t/warhorse-" + uid + "/8000.sock"),
                RunDirectory.socket(TestSettings.of(), 8000, Map.of("TMPDIR", "/t")));
        assertEquals(Path.of("/elsewhere/c.sock"),
                RunDirectory.socket(TestSettings.of("warhorse.control-socket", "/elsewhere/c.sock"), 8000, Map.of()));
    }

    @Test
    void createdPrivateWhateverTheUmaskAndAcceptedAgain() throws IOException {
        Path run = RunDirectory.ensure(dir.resolve("a/warhorse"), uid);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run)));
        assertEquals(run, RunDirectory.ensure(run, uid));
    }

    @Test
    void looserPermissionsALinkOrAFileAreRefusedNamingThePath() throws IOException {
        Path loose = Files.createDirectory(dir.resolve("loose"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rwxr-x---"));
        assertRefused(loose, "has mode rwxr-x---, looser than rwx------");
        assertRefused(Files.createSymbolicLink(dir.resolve("link"), loose), "is a symbolic link");
        assertRefused(Files.createFile(dir.resolve("file")), "is not a directory");
    }

    @Test
    void anotherUsersDirectoryIsRefused() throws IOException {
        assumeTrue(uid == 0, "only root can give a directory away");
        Path squatted = RunDirectory.ensure(dir.resolve("squatted"), uid);
        Files.setAttribute(squatted, "unix:uid", 65534);
        assertRefused(squatted, "belongs to user id 65534, not 0");
    }

    private void assertRefused(Path path, String problem) {
        IOException refused = assertThrows(IOException.class, () -> RunDirectory.ensure(path, uid));
        assertTrue(refused.getMessage().startsWith("run directory " + path + " " + problem), refused.getMessage());
    }
}
