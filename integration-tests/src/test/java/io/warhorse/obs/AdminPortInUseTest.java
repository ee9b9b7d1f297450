package io.warhorse.obs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The admin listener refuses to start on a port in use: one clear line, exit 1, no worker started. */
class AdminPortInUseTest {

    @Test
    void refusesAPortInUseWithAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             RunningMaster master = RunningMaster.launch(List.of("--bind", "127.0.0.1:0", "--admin-bind",
                     "127.0.0.1:" + taken.getLocalPort(), RunningMaster.app("hello").toString()))) {
            assertTrue(master.process().waitFor(60, TimeUnit.SECONDS), "the master should stop at once");
            assertEquals(1, master.process().exitValue());
            master.await(java.time.Duration.ofSeconds(5), () -> master.count("warhorse: cannot open the admin listener") == 1);
            String line = master.output().stream().filter(l -> l.contains("admin listener")).findFirst().orElseThrow();
            assertTrue(line.contains("127.0.0.1:" + taken.getLocalPort()) && line.contains("--admin-bind"), line);
            assertEquals(0, master.count("booting worker"), String.join("\n", master.output()));
        }
    }
}
