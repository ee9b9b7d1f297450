package io.warhorse.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workers' copy of the settings, written in the master's run folder: every relative path in it means what it
 * meant to the master (relative to its working directory for a flag or the environment, to the config file for a
 * file's value), not something under the run folder.
 */
class ResolvedSettingsTest {

    @TempDir
    Path dir;

    @Test
    void relativePathsFromFlagsTheEnvironmentAndAFileKeepTheirMeaningInTheWorkersCopy() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.createDirectories(cwd.resolve("logs"));
        Files.createDirectories(etc.resolve("tmp"));
        Path config = ConfigFiles.write(etc, "warhorse.conf", "warhorse.deploy.temp-dir = tmp\n");
        ConfigLoader.Loaded master = ConfigFiles.load(config, Map.of("WARHORSE_PID", "warhorse.pid"),
                List.of(new ConfigOverride("warhorse.access-log.file", "logs/access.log", "flag --access-logfile"),
                        new ConfigOverride("warhorse.log.file", "error.log", "flag --error-logfile")), cwd);

        Path copy = ResolvedSettings.write(master, dir.resolve("run/master-1/generation-1.conf"));
        Settings worker = ResolvedSettings.read(copy, ConfigFiles.KINDS);

        assertEquals(cwd.resolve("logs/access.log").toString(), worker.observability().accessLog().file());
        assertEquals(cwd.resolve("error.log"), worker.observability().log().file());
        assertEquals(cwd.resolve("warhorse.pid"), worker.master().pidFile());
        assertEquals(etc.resolve("tmp"), worker.deploy().tempDir());
        assertEquals(master.settings(), worker, "read without reference.conf, the worker's settings are the master's");
    }

    /** A file that lacks a setting was not written for this install: a configuration error, not a crash. */
    @Test
    void aCopyWithoutASettingIsRefusedWithTheSettingNamed() throws Exception {
        ConfigLoader.Loaded master = ConfigFiles.load(null, Map.of(), List.of(), dir);
        Path copy = ResolvedSettings.write(master, dir.resolve("generation-1.conf"));
        Files.writeString(copy, Files.readString(copy).replaceFirst("\"backlog\" : 2048,", ""));
        InvalidConfigException refused = assertThrows(InvalidConfigException.class, () -> ResolvedSettings.read(copy, ConfigFiles.KINDS));
        assertTrue(refused.getMessage().contains("backlog"), refused.getMessage());
    }
}
