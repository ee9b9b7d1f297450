package io.warhorse.obs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import io.warhorse.e2e.Warhorse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin listener refuses to start on a port in use: one clear line, exit 1, no worker started. */
class AdminPortInUseTest {

    @TempDir
    static Path dir;

    @Test
    void refusesAPortInUseWithAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Warhorse master = Warhorse.start("admin-port-in-use", dir, "--bind", "127.0.0.1:0", "--admin-bind",
                     "127.0.0.1:" + taken.getLocalPort(), Warhorse.war("hello").toString())) {
            assertEquals(1, master.awaitExit(Duration.ofSeconds(60)), "the master stops at once with 1");
            master.await(Duration.ofSeconds(20), () -> master.count("warhorse: cannot open the admin listener") == 1);
            String line = master.awaitLine("admin listener", 0, Duration.ofSeconds(1)).text();
            assertTrue(line.contains("127.0.0.1:" + taken.getLocalPort()) && line.contains("--admin-bind"), line);
            assertEquals(0, master.count("booting worker"), master.output());
        }
    }
}
