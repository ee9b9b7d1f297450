package io.warhorse.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.config.Settings;
import io.warhorse.core.config.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which cache a worker gets and what it is told: the end-to-end record, assemble and map cycle with a real JDK is
 * io.warhorse.e2e.AotCacheTest; here, the key and the plans, without starting a JVM.
 */
class AotCacheTest {

    @TempDir
    Path dir;

    private Settings settings(String... more) throws Exception {
        Path war = dir.resolve("shop.war");
        if (!Files.exists(war)) {
            Files.writeString(war, "not read here");
        }
        String[] base = {"warhorse.apps", war + "=/shop"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return TestSettings.of(all);
    }

    private AotCache cache() throws Exception {
        Path jar = Files.writeString(dir.resolve("lib.jar"), "a jar");
        return new AotCache(Path.of("/usr/bin/java"), jar.toString());
    }

    @Test
    void theKeyFollowsTheAppsTheJarsAndTheJvmOptions() throws Exception {
        AotCache cache = cache();
        Path first = cache.cacheFile(settings());
        assertEquals(first, cache.cacheFile(settings()), "the same settings, the same cache");
        assertTrue(first.getFileName().toString().matches("warhorse-[0-9a-f]{16}\\.aot"), first.toString());
        assertNotEquals(first, cache.cacheFile(settings("warhorse.worker.jvm-options", "[\"-Xmx256m\"]")));
        Files.setLastModifiedTime(dir.resolve("shop.war"), FileTime.fromMillis(1_000));
        Path afterWarChanged = cache.cacheFile(settings());
        assertNotEquals(first, afterWarChanged, "a rebuilt WAR gets a new cache");
        Files.setLastModifiedTime(dir.resolve("lib.jar"), FileTime.fromMillis(2_000));
        assertNotEquals(afterWarChanged, cache().cacheFile(settings()), "so does a new jar on the class path");
    }

    @Test
    void offWhenEmptyOrWhenTheJvmOptionsManageClassDataThemselves() throws Exception {
        AotCache cache = cache();
        assertNull(cache.cacheFile(settings("warhorse.worker.class-data-archive", "")));
        for (String option : List.of("-Xshare:off", "-XX:SharedArchiveFile=x.jsa", "-XX:AOTCache=x.aot", "-XX:+AutoCreateSharedArchive")) {
            assertNull(cache.cacheFile(settings("warhorse.worker.jvm-options", "[\"" + option + "\"]")), option);
            assertEquals(List.of(), cache.plan(settings("warhorse.worker.jvm-options", "[\"" + option + "\"]")).jvmOptions(), option);
        }
        Path named = dir.resolve("named.aot");
        assertEquals(named, cache.cacheFile(settings("warhorse.worker.class-data-archive", named.toString())));
    }

    @Test
    void oneWorkerRecordsWhileTheOthersStartPlainAndAllMapTheCacheOnceItExists() throws Exception {
        AotCache cache = cache();
        Path named = dir.resolve("workers.aot");
        Settings settings = settings("warhorse.worker.class-data-archive", named.toString());
        List<String> recording = cache.plan(settings).jvmOptions();
        assertTrue(recording.contains("-XX:AOTMode=record"), recording.toString());
        assertTrue(recording.stream().anyMatch(o -> o.startsWith("-XX:AOTConfiguration=" + named + ".")), recording.toString());
        List<String> meanwhile = cache.plan(settings).jvmOptions();
        assertTrue(meanwhile.stream().noneMatch(o -> o.startsWith("-XX:AOT")), "only one records: " + meanwhile);
        Files.writeString(named, "a cache");
        assertTrue(cache.plan(settings).jvmOptions().contains("-XX:AOTCache=" + named));
    }

    @Test
    void twoRecordingsThatEndWithoutAConfigurationTurnRecordingOff() throws Exception {
        AotCache cache = cache();
        Settings settings = settings("warhorse.worker.class-data-archive", dir.resolve("workers.aot").toString());
        cache.plan(settings).onExit().accept(137); // killed while recording
        cache.plan(settings).onExit().accept(1);   // a JVM that would not record
        List<String> after = cache.plan(settings).jvmOptions();
        assertTrue(after.stream().noneMatch(o -> o.startsWith("-XX:AOT")), after.toString());
    }
}
