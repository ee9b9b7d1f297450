package io.warhorse.e2e;

import io.warhorse.it.Http;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.config.Reference;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/systemd/warhorse.socket and warhorse.service, run through the real {@code systemd-socket-activate}: it
 * listens as the .socket says (on loopback and a free port here), execs the .service's ExecStart at the first
 * connection with the socket as fd 3 (LISTEN_FDS=1, LISTEN_PID), and the master serves from that socket; the
 * unit's ExecReload (HUP) replaces every worker and its KillSignal (TERM) stops warhorse with exit 0.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class SystemdSocketActivationTest {

    @TempDir
    Path dir;

    @Test
    void socketActivatedWarhorseServesReloadsOnExecReloadAndStopsOnKillSignal() throws Exception {
        Path units = Path.of(System.getProperty("warhorse.conf", "../conf")).resolve("systemd");
        UnitFile socket = UnitFile.read(units.resolve("warhorse.socket"));
        UnitFile service = UnitFile.read(units.resolve("warhorse.service"));
        assertEquals("0.0.0.0:8000", socket.get("Socket", "ListenStream"));
        assertEquals("warhorse.socket", service.get("Unit", "Requires"));
        assertEquals("mixed", service.get("Service", "KillMode"), "TERM to the master only: it stops its workers");
        long stopNeeds = Reference.config().getDuration("warhorse.graceful-timeout").toSeconds()
                + Reference.config().getDuration("warhorse.shutdown.drain-delay").toSeconds() + 3;
        assertTrue(Long.parseLong(service.get("Service", "TimeoutStopSec")) >= stopNeeds, "TimeoutStopSec covers a graceful stop");

        Files.copy(Warhorse.war("hello"), dir.resolve("hello.war"));
        Path config = Files.writeString(dir.resolve("warhorse.conf"), """
                warhorse.apps = ["hello.war"]
                warhorse.workers = 1
                warhorse.graceful-timeout = 5s
                warhorse.admin.bind = "127.0.0.1:0"
                """);
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("systemd-socket-activate", "-l", "127.0.0.1:" + port,
                "-E", "PATH", "-E", "WARHORSE_JAVA_HOME", "-E", "TMPDIR",
                // the suite's AOT cache, as every other master of the suite maps it: else its first worker records a
                // cache of its own, boots slower and holds the reload up while it writes it at exit
                "-E", "WARHORSE_WORKER_CLASS_DATA_ARCHIVE"));
        for (String word : service.command("Service", "ExecStart")) {
            command.add(word.replace("/opt/warhorse", Warhorse.home().toString())
                    .replace("/etc/warhorse/warhorse.conf", config.toString()));
        }
        try (Warhorse warhorse = Warhorse.run("systemd", dir, command)) {
            awaitActivation(port);
            warhorse.awaitListening(Duration.ofSeconds(30));
            assertEquals(port, warhorse.port());
            warhorse.awaitLine("socket from systemd, shared by every worker", 0, Duration.ofSeconds(20));
            List<Warhorse.Worker> before = warhorse.awaitWorkers(1, Duration.ofSeconds(60));
            assertEquals(200, Http.get(port, "/hello/hello").status());

            int from = warhorse.lineCount();
            run(service.command("Service", "ExecReload").stream()
                    .map(word -> word.replace("$MAINPID", Long.toString(warhorse.masterPid()))).toList());
            warhorse.awaitLine("reload complete: generation 2 serving", from, Duration.ofSeconds(90));
            List<Warhorse.Worker> after = warhorse.awaitWorkers(1, Duration.ofSeconds(30));
            assertTrue(after.stream().allMatch(worker -> worker.generation() == 2), after.toString());
            Set<Long> old = before.stream().map(Warhorse.Worker::pid).collect(Collectors.toSet());
            assertTrue(after.stream().noneMatch(worker -> old.contains(worker.pid())), "every worker was replaced");
            assertEquals(200, Http.get(port, "/hello/hello").status(), "served from systemd's socket after the reload");

            from = warhorse.lineCount();
            Warhorse.kill(service.get("Service", "KillSignal").replace("SIG", ""), warhorse.masterPid());
            assertEquals(0, warhorse.awaitExit(Duration.ofSeconds(40)));
            warhorse.awaitLine("stopping gracefully", from, Duration.ofSeconds(10));
        }
    }

    /** The first connection makes systemd-socket-activate exec warhorse; it stays queued until a worker accepts. */
    private static void awaitActivation(int port) throws Exception {
        io.warhorse.it.Deadline.within(Duration.ofSeconds(20), () -> {
            try (Socket knock = new Socket()) {
                knock.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return true;
            } catch (java.io.IOException e) {
                return false; // not listening yet
            }
        });
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static void run(List<String> command) throws Exception {
        ReleaseTarballTest.Result result = ReleaseTarballTest.Result.of(new ProcessBuilder(command));
        assertEquals(0, result.code(), command + ": " + result.output());
    }
}
