package io.warhorse.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code warhorse ctl} without a master: clear errors, never a stack trace. The happy path is tested end to end. */
class CtlTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Main(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                dir, FakeKinds.all(), Main.Launcher.WORKER).run(args);
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(1, run("ctl"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("warhorse ctl: no command given\nusage: warhorse ctl"), err.toString());
    }

    @Test
    void noMasterIsOneClearLine() {
        assertEquals(1, run("ctl", "--socket", "nobody.sock", "status"));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("warhorse ctl: no master answers on " + dir.resolve("nobody.sock")), message);
        assertEquals(1, message.lines().count(), message);
    }

    @Test
    void theSocketFollowsTheBindPort() {
        assertEquals(1, run("ctl", "--bind", "127.0.0.1:1", "status"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("/1.sock"), err.toString());
    }
}
