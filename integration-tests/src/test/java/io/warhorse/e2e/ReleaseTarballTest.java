package io.warhorse.e2e;

import io.warhorse.it.Http;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball, {@code distribution/target/warhorse-VERSION.tar.gz}, unpacked by the real {@code tar} into an
 * empty folder far from the source tree: it names its version and commit and serves a WAR from there.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReleaseTarballTest {

    @TempDir
    Path dir;

    /** The tarball the distribution module packed (the one {@code warhorse-*.tar.gz} beside {@code target/warhorse}). */
    static Path tarball() throws IOException {
        try (Stream<Path> files = Files.list(Warhorse.home().getParent())) {
            List<Path> found = files.filter(file -> file.getFileName().toString().matches("warhorse-.+\\.tar\\.gz")).toList();
            assertEquals(1, found.size(), "one release tarball in " + Warhorse.home().getParent() + ": " + found);
            return found.getFirst();
        }
    }

    /** Unpacks the tarball into {@code into} with tar; returns the one folder it holds, {@code warhorse-VERSION}. */
    static Path unpack(Path into) throws Exception {
        Result tar = Result.of(new ProcessBuilder("tar", "-xzf", tarball().toString(), "-C", into.toString()));
        assertEquals(0, tar.code(), tar.output());
        try (Stream<Path> files = Files.list(into)) {
            List<Path> top = files.toList();
            assertEquals(1, top.size(), "the tarball holds one folder: " + top);
            return top.getFirst();
        }
    }

    @Test
    void unpackedAnywhereItNamesItsVersionAndCommitAndServesAWar() throws Exception {
        Path release = unpack(Files.createDirectories(dir.resolve("opt")));
        assertTrue(release.getFileName().toString().matches("warhorse-\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), release.toString());
        for (String file : List.of("bin/warhorse", "bin/jdk25.sh", "conf/warhorse.conf", "README.txt",
                "conf/systemd/warhorse.service", "conf/systemd/warhorse.socket", "conf/nginx/warhorse.conf",
                "conf/kubernetes/warhorse.yaml")) {
            assertTrue(Files.isRegularFile(release.resolve(file)), file + " is in the release");
        }
        assertTrue(Files.isExecutable(release.resolve("bin/warhorse")), "bin/warhorse keeps its execute bit");
        assertFalse(Files.exists(release.resolve("apps")), "the sample WARs stay out of the release");
        String thirdParty = Files.readString(release.resolve("licenses/THIRD-PARTY.txt"));
        for (String library : List.of("io.undertow:undertow-core", "com.typesafe:config", "ch.qos.logback:logback-classic")) {
            assertTrue(thirdParty.contains(library), library + " is named in licenses/THIRD-PARTY.txt");
        }

        Path work = Files.createDirectories(dir.resolve("work"));
        Result version = Result.of(new ProcessBuilder(release.resolve("bin/warhorse").toString(), "--version").directory(work.toFile()));
        assertEquals(0, version.code(), version.output());
        String expected = "warhorse " + release.getFileName().toString().substring("warhorse-".length()) + " (commit ";
        assertTrue(version.output().startsWith(expected), version.output());
        String commit = version.output().substring(expected.length()).split("[,)]")[0];
        assertTrue(commit.matches("[0-9a-f]{12}|unknown"), commit);
        if (gitWorks()) {
            Result known = Result.of(new ProcessBuilder("git", "rev-parse", "--verify", "--quiet", commit + "^{commit}"));
            assertEquals(0, known.code(), "the release names a commit of this repository: " + commit);
        }

        Files.copy(Warhorse.war("hello"), work.resolve("hello.war"));
        try (Warhorse warhorse = Warhorse.run("release", work, List.of(release.resolve("bin/warhorse").toString(),
                "--bind", "127.0.0.1:0", "--admin-bind", "127.0.0.1:0", "hello.war"))) {
            warhorse.awaitListening(Duration.ofSeconds(30));
            warhorse.awaitWorkers(1, Duration.ofSeconds(60));
            Http.Response hello = Http.get(warhorse.port(), "/hello/hello");
            assertEquals(200, hello.status(), hello.body());
            System.out.printf("release: %s, %d bytes; master RSS %d MiB, worker RSS %d MiB after one request%n",
                    tarball().getFileName(), Files.size(tarball()), rssMiB(warhorse.masterPid()),
                    rssMiB(warhorse.workers().getFirst().pid()));
        }
    }

    /** Whether git can read the repository the test runs in (it cannot in a copy without .git). */
    private static boolean gitWorks() {
        try {
            return Result.of(new ProcessBuilder("git", "rev-parse", "HEAD")).code() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static long rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    /** A finished command: its exit code and output (stdout and stderr). */
    record Result(int code, String output) {
        static Result of(ProcessBuilder builder) throws Exception {
            builder.redirectErrorStream(true).environment().put("WARHORSE_JAVA_HOME", System.getProperty("java.home"));
            // the suite's TMPDIR: where a launcher keeps the master's class-data archive (not /tmp, and the release's
            // master started after --version finds the archive that run wrote instead of writing one more at exit)
            io.warhorse.it.TestTmp.into(builder.environment());
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(builder.command() + " did not finish");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        }
    }
}
