package io.warhorse.core.config;

import static io.warhorse.core.config.ConfigFiles.flag;
import static io.warhorse.core.config.ConfigFiles.load;
import static io.warhorse.core.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading real files: defaults, precedence, path resolution. */
class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsComeFromReferenceConf() throws Exception {
        Settings settings = load(null, Map.of(), List.of(), dir).settings();
        assertEquals("virtual", settings.worker());
        assertEquals(List.of(), settings.apps());
        assertEquals(new HostPort("127.0.0.1", 8000), settings.bind());
        assertEquals(2048, settings.backlog());
        assertEquals(32, settings.threads());
        assertEquals(64, settings.queue());
        assertEquals(2000, settings.workerConnections());
        assertEquals(0, settings.ioThreads());
        assertEquals(new Settings.Async(0, Duration.ofMillis(100)), settings.async());
        assertEquals(new Settings.Http(64 * 1024, 200, 1000, 100L * 1024 * 1024, Duration.ofSeconds(30), Duration.ofSeconds(60)),
                settings.http());
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize(), settings.deploy().tempDir());
        assertEquals(Duration.ofSeconds(30), settings.gracefulTimeout());
        assertEquals("INFO", settings.logLevel());
    }

    @Test
    void fileOverridesReferenceEnvOverridesFileFlagsOverrideEnv() throws Exception {
        Path file = write(dir, "warhorse.conf", """
                warhorse {
                  threads = 10
                  queue = 11
                  backlog = 12
                }
                """);
        Map<String, String> env = Map.of("WARHORSE_QUEUE", "21", "WARHORSE_BACKLOG", "22");
        Settings settings = load(file, env, List.of(flag("warhorse.backlog", "33")), dir).settings();
        assertEquals(10, settings.threads());
        assertEquals(21, settings.queue());
        assertEquals(33, settings.backlog());
        assertEquals(2000, settings.workerConnections());
    }

    @Test
    void valuesKeepTheirOrigin() throws Exception {
        Path file = write(dir, "warhorse.conf", "warhorse.threads = 10\nwarhorse.queue = 11\n");
        var config = load(file, Map.of("WARHORSE_QUEUE", "21"), List.of(flag("warhorse.backlog", "33")), dir).config();
        assertEquals(file + ":1", ConfigProblem.describe(config.getValue("warhorse.threads").origin()));
        assertEquals("env WARHORSE_QUEUE", ConfigProblem.describe(config.getValue("warhorse.queue").origin()));
        assertEquals("command line --backlog", ConfigProblem.describe(config.getValue("warhorse.backlog").origin()));
        assertEquals("reference.conf", ConfigProblem.describe(config.getValue("warhorse.worker.kind").origin()));
    }

    @Test
    void textFromEnvironmentAndFlagsTakesTheSettingsType() throws Exception {
        Map<String, String> env = Map.of(
                "WARHORSE_HTTP_MAX_HEADER_SIZE", "8KiB",
                "WARHORSE_HTTP_IDLE_TIMEOUT", "2m",
                "WARHORSE_LOG_LEVEL", "debug",
                "WARHORSE_BIND", "0.0.0.0:9000");
        Settings settings = load(null, env, List.of(flag("warhorse.worker.kind", "sync")), dir).settings();
        assertEquals(8 * 1024, settings.http().maxHeaderSize());
        assertEquals(Duration.ofMinutes(2), settings.http().idleTimeout());
        assertEquals("DEBUG", settings.logLevel());
        assertEquals(new HostPort("0.0.0.0", 9000), settings.bind());
        assertEquals("sync", settings.worker());
    }

    @Test
    void appsInAFileResolveAgainstItsFolder() throws Exception {
        write(dir, "site/apps/shop.war", "");
        write(dir, "site/apps/ROOT.war", "");
        Path file = write(dir, "site/warhorse.conf", "warhorse.apps = [\"apps/shop.war\", \"apps/ROOT.war\", \"apps/shop.war=/store\"]\n");
        Settings settings = load(file, Map.of(), List.of(), dir).settings();
        Path apps = dir.resolve("site/apps");
        assertEquals(List.of(new AppSpec(apps.resolve("shop.war"), "/shop"), new AppSpec(apps.resolve("ROOT.war"), "/"),
                new AppSpec(apps.resolve("shop.war"), "/store")), settings.apps());
    }

    @Test
    void appsFromTheCommandLineAndEnvironmentResolveAgainstTheWorkingDirectory() throws Exception {
        write(dir, "a.war", "");
        write(dir, "b", "");
        Path file = write(dir, "conf/warhorse.conf", "warhorse.apps = [\"x.war\"]\n");
        List<ConfigOverride> cli = List.of(new ConfigOverride("warhorse.apps", List.of("a.war", "b=/"), "command line APP"));
        assertEquals(List.of(new AppSpec(dir.resolve("a.war"), "/a"), new AppSpec(dir.resolve("b"), "/")),
                load(file, Map.of(), cli, dir).settings().apps());
        assertEquals(List.of(new AppSpec(dir.resolve("a.war"), "/a"), new AppSpec(dir.resolve("b"), "/bee")),
                load(null, Map.of("WARHORSE_APPS", "a.war, b=/bee"), List.of(), dir).settings().apps());
        assertEquals(List.of(new AppSpec(dir.resolve("a.war"), "/a")),
                load(null, Map.of("WARHORSE_APPS", "[\"a.war\"]"), List.of(), dir).settings().apps());
    }

    @Test
    void tempDirInAFileResolvesAgainstItsFolder() throws Exception {
        Path file = write(dir, "etc/warhorse.conf", "warhorse.deploy.temp-dir = \"../tmp\"\n");
        assertEquals(dir.resolve("tmp"), load(file, Map.of(), List.of(), dir).settings().deploy().tempDir());
    }

    @Test
    void substitutionsInTheFileResolve() throws Exception {
        Path file = write(dir, "warhorse.conf", "warhorse.queue = 4\nwarhorse.threads = ${warhorse.queue}\n");
        assertEquals(4, load(file, Map.of(), List.of(), dir).settings().threads());
    }

    @Test
    void theShippedExampleIsValid() throws Exception {
        Path example = Path.of("../conf/warhorse.conf").toAbsolutePath().normalize();
        Settings settings = load(example, Map.of(), List.of(), dir).settings();
        assertEquals("virtual", settings.worker());
    }
}
