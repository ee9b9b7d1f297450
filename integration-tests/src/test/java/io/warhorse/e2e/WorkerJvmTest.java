package io.warhorse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import io.warhorse.it.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVMs the real launcher starts: the master's sized for supervising (and loading no Undertow, XNIO or SQLite), a worker's with warhorse's defaults under the
 * user's worker.jvm-options (a user's heap and collector win, with no clash), its carriers sized for its share of
 * the cores, and SQLite's library loaded from the run directory, where the master copied it once.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WorkerJvmTest {

    @TempDir
    Path dir;

    @Test
    void theMasterRunsSmallAndAWorkerGetsTheDefaultsUnderTheUsersOptions() throws Exception {
        Path config = Files.writeString(dir.resolve("warhorse.conf"),
                "warhorse.worker.jvm-options = [\"-Xmx200m\", \"-XX:+UseParallelGC\"]\n");
        try (Warhorse warhorse = Warhorse.observed("worker-jvm", dir, 1, Warhorse.SHIPPED_WORKER_DEFAULTS, "-c", config.toString(), Warhorse.war("hello") + "=/")) {
            assertEquals(200, Http.get(warhorse.uri("/hello")).statusCode(), "a worker with both collectors' options would not start");
            List<String> master = Warhorse.commandLine(warhorse.masterPid());
            assertTrue(master.containsAll(List.of("-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1")), master.toString());
            // what the master leaves out: its admin listener (up, on the JDK's HTTP server) runs no XNIO thread, and
            // with the local session store (the default) it never loads SQLite, which only the workers open
            assertEquals(200, Http.get(warhorse.adminUri("/-/healthy")).statusCode());
            List<String> threads = threadNames(warhorse.masterPid());
            assertTrue(threads.contains("control-accept") && threads.stream().noneMatch(name -> name.startsWith("XNIO")),
                    threads.toString());
            List<String> sqliteMaps = Files.readAllLines(Path.of("/proc", Long.toString(warhorse.masterPid()), "maps")).stream()
                    .filter(line -> line.contains("libsqlitejdbc")).toList(); // its jar may be mapped: it copies the library out
            assertTrue(sqliteMaps.isEmpty(), "the master mapped SQLite's library: " + sqliteMaps);

            long pid = warhorse.workerPidsSeen().iterator().next();
            List<String> worker = Warhorse.commandLine(pid);
            assertTrue(worker.containsAll(List.of("-Xmx200m", "-XX:+UseParallelGC", "-Xms32m")), worker.toString());
            assertFalse(worker.contains("-XX:+UseSerialGC"), "the user's collector replaces the default: " + worker);
            assertFalse(worker.contains("-XX:TieredStopAtLevel=1"), "a worker runs both compilers: " + worker);
            assertTrue(worker.stream().noneMatch(option -> option.startsWith("-XX:MaxRAMPercentage")),
                    "the user's -Xmx replaces the heap-percent share: " + worker);
            String firstJar = worker.get(worker.indexOf("-cp") + 1).split(java.io.File.pathSeparator)[0];
            assertTrue(Path.of(firstJar).getFileName().toString().startsWith("server-core-"),
                    "warhorse's jar (replacing a class each of XNIO and Undertow) is not first: " + firstJar);
            int share = Math.max(1, Runtime.getRuntime().availableProcessors()); // one worker: all the cores
            assertTrue(worker.contains("-Djdk.virtualThreadScheduler.parallelism=" + share), worker.toString());
            String flags = jcmd(pid, "VM.flags");
            assertTrue(flags.contains("-XX:MaxHeapSize=209715200"), "the user's -Xmx is the heap: " + flags);
            assertTrue(flags.contains("-XX:+UseParallelGC"), flags);

            String libraryPath = worker.stream().filter(option -> option.startsWith("-Dorg.sqlite.lib.path=")).findFirst()
                    .orElseThrow(() -> new AssertionError("no SQLite library path: " + worker)).substring(22);
            assertTrue(Files.isRegularFile(Path.of(libraryPath, "libsqlitejdbc.so")), libraryPath);
            assertTrue(Files.readString(Path.of("/proc", Long.toString(pid), "maps")).contains(libraryPath + "/libsqlitejdbc.so"),
                    "the worker mapped the run directory's copy of SQLite");

            // XNIO's MBeans wait while the worker boots (the platform MBean server is built after it is ready), then
            // are there for a JMX client like any other
            warhorse.await(Duration.ofSeconds(20), () -> mbeans(pid, "org.xnio:type=Xnio,*").size() >= 2);
            assertTrue(mbeans(pid, "org.xnio:type=Xnio,*").contains(
                    new ObjectName("org.xnio:type=Xnio,provider=" + ObjectName.quote("nio"))));
            assertFalse(mbeans(pid, "java.lang:type=Memory").isEmpty());
        }
    }

    /** The names matching {@code pattern} on the process's platform MBean server, through the JDK's attach API. */
    private static Set<ObjectName> mbeans(long pid, String pattern) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
            return connector.getMBeanServerConnection().queryNames(new ObjectName(pattern), null);
        } finally {
            vm.detach();
        }
    }

    private static List<String> threadNames(long pid) throws IOException {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            List<String> names = new java.util.ArrayList<>();
            for (Path task : tasks.toList()) {
                names.add(Files.readString(task.resolve("comm")).strip());
            }
            return names;
        }
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        try {
            String output = new String(jcmd.getInputStream().readAllBytes());
            assertTrue(jcmd.waitFor(30, TimeUnit.SECONDS), "jcmd did not finish");
            return output;
        } finally {
            jcmd.destroyForcibly();
        }
    }
}
