package io.warhorse.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A process that inherited HUP and INT as ignored (started by a shell that ignores them: {@code trap "" INT HUP},
 * as for {@code nohup warhorse &}) still handles them once {@link Signals#on} asks for them.
 */
@Timeout(60)
class IgnoredSignalsTest {

    /** The child: handles HUP and INT, says when it is ready and when each arrives, exits after INT. */
    public static final class Child {
        public static void main(String[] args) throws InterruptedException {
            java.util.concurrent.CountDownLatch interrupted = new java.util.concurrent.CountDownLatch(1);
            Signals.on("HUP", () -> System.out.println("caught HUP"));
            Signals.on("INT", () -> {
                System.out.println("caught INT");
                interrupted.countDown();
            });
            System.out.println("ready");
            interrupted.await(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void hupAndIntIgnoredByTheParentAreHandled() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of("/bin/sh", "-c",
                "trap '' INT HUP; exec \"$0\" --enable-native-access=ALL-UNNAMED -cp \"$1\" \"$2\"",
                java.toString(), System.getProperty("java.class.path"), Child.class.getName()))
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", out.readLine());
            String ignored = Files.readAllLines(Path.of("/proc", Long.toString(child.pid()), "status")).stream()
                    .filter(line -> line.startsWith("SigIgn:")).findFirst().orElseThrow();
            long mask = Long.parseLong(ignored.substring("SigIgn:".length()).trim(), 16);
            assertEquals(0, mask & 0b11, "HUP (1) and INT (2) are no longer ignored: " + ignored);
            assertTrue(Signals.send(child.pid(), "HUP"));
            assertEquals("caught HUP", out.readLine());
            assertTrue(Signals.send(child.pid(), "INT"));
            assertEquals("caught INT", out.readLine());
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, child.exitValue());
        } finally {
            child.destroyForcibly();
        }
    }
}
