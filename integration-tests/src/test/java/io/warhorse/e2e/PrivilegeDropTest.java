package io.warhorse.e2e;

import io.warhorse.it.Http;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * gunicorn's least privilege, with the real unprivileged user {@code warhorse-test} that .ci/run creates: a root
 * master binds a port below 1024, its workers run as that user and group with umask 027 (the kernel's
 * {@code /proc/PID/status} says so), they serve, and the pid file, the log and the private run directory and its
 * socket are theirs. Runs where the tests run as root (CI); skipped elsewhere.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PrivilegeDropTest {

    private static final String USER = "warhorse-test";

    @TempDir
    static Path dir;

    @Test
    void aRootMasterBindsAPortBelow1024AndItsWorkersRunAsTheUnprivilegedUser() throws Exception {
        assumeTrue(uid(Path.of("/proc/self")) == 0, "needs root");
        int[] ids = ids();
        assumeTrue(ids != null, "needs the user " + USER + " (.ci/run creates it)");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // the workers' working directory
        Path pidFile = dir.resolve("warhorse.pid");
        Path log = Files.createDirectories(dir.resolve("logs")).resolve("error.log");
        int port = freePortBelow1024();
        try (Warhorse warhorse = Warhorse.start("privileges", dir, "--workers", "2", "--bind", "127.0.0.1:" + port,
                "--timeout", "120s", "--user", USER, "--group", USER, "--umask", "027", "--pid", pidFile.toString(), "--log-file", log.toString(),
                Warhorse.war("hello") + "=/")) {
            warhorse.await(Duration.ofSeconds(60), () -> Files.exists(log)
                    && Files.readString(log).contains("listening at http://127.0.0.1:" + port));
            warhorse.await(Duration.ofSeconds(180), () -> Files.readString(log).split("\\) ready \\(").length == 3);
            assertEquals(200, Http.get(port, "/hello").status());
            long master = Long.parseLong(Files.readString(pidFile).strip());
            assertEquals(0, uid(Path.of("/proc/" + master)), "the master stays root");
            for (String line : Files.readString(log).lines().filter(text -> text.contains(") ready (")).toList()) {
                long pid = Long.parseLong(line.replaceAll(".*\\(pid:(\\d+),.*", "$1"));
                String status = Files.readString(Path.of("/proc/" + pid + "/status"));
                assertTrue(status.contains("\nUid:\t" + ids[0] + "\t" + ids[0] + "\t" + ids[0]), status);
                assertTrue(status.contains("\nGid:\t" + ids[1] + "\t" + ids[1] + "\t" + ids[1]), status);
                assertTrue(status.contains("\nUmask:\t0027"), status);
            }
            assertEquals(ids[0], uid(pidFile));
            assertEquals(ids[0], uid(log));
            Path socket = Path.of(Files.readString(log).replaceAll("(?s).*control socket (\\S+)\\R.*", "$1"));
            assertEquals(ids[0], uid(socket));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("warhorse-" + ids[0], socket.getParent().getFileName().toString(), "the user's own run directory");
            assertEquals(ids[0], uid(socket.getParent()));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
            Warhorse.Result status = Warhorse.ctl("--user", USER, "--bind", "127.0.0.1:" + port, "status");
            assertEquals(0, status.exitCode(), "root, the master's user, finds the socket as the master chose it and commands it: "
                    + status.output());
        }
    }

    private static int uid(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    /** {uid, gid} of the test user, or null when it does not exist. */
    private static int[] ids() throws Exception {
        Process id = new ProcessBuilder("id", USER).redirectErrorStream(true).start();
        String out = new String(id.getInputStream().readAllBytes()).strip();
        if (id.waitFor() != 0) {
            return null;
        }
        return new int[] {Integer.parseInt(out.replaceAll("^uid=(\\d+).*", "$1")), Integer.parseInt(out.replaceAll(".* gid=(\\d+).*", "$1"))};
    }

    private static int freePortBelow1024() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(600, 1024);
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port below 1024 on 127.0.0.1");
    }
}
