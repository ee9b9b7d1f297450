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
        assertTrue(first.getFileName().toString().matches("warhorse-[0-9a-f]{16}-[0-9a-f]{16}\\.aot"), first.toString());
        assertNotEquals(first, cache.cacheFile(settings("warhorse.worker.jvm-options", "[\"-Xmx256m\"]")));
        Files.setLastModifiedTime(dir.resolve("shop.war"), FileTime.fromMillis(1_000));
        Path afterWarChanged = cache.cacheFile(settings());
        assertNotEquals(first, afterWarChanged, "a rebuilt WAR gets a new cache");
        Files.setLastModifiedTime(dir.resolve("lib.jar"), FileTime.fromMillis(2_000));
        Path afterJarChanged = cache().cacheFile(settings());
        assertNotEquals(afterWarChanged, afterJarChanged, "so does a new jar on the class path");
        assertEquals(AotCache.familyPrefix(first), AotCache.familyPrefix(afterJarChanged), "one family: same install, same apps");
        Files.writeString(dir.resolve("other.war"), "another app");
        assertNotEquals(AotCache.familyPrefix(first), AotCache.familyPrefix(
                cache().cacheFile(settings("warhorse.apps", dir.resolve("other.war") + "=/shop"))));
    }

    /**
     * The assembler's shell script for real, with a stand-in for the JDK's {@code java -XX:AOTMode=create} that
     * writes the cache file it is told to (the real JDK's part is io.warhorse.e2e.AotCacheTest): the cache lands
     * under its name, the older caches of its family are deleted, and nothing else is.
     */
    @Test
    void anAssembledCacheReplacesTheOlderCachesOfItsFamilyOnly() throws Exception {
        Path java = Files.writeString(dir.resolve("fake-java"), """
                #!/bin/sh
                for a; do case "$a" in -XX:AOTCache=*) printf 'assembled in %s' "$(pwd -P)" > "${a#-XX:AOTCache=}";; esac; done
                """);
        assertTrue(java.toFile().setExecutable(true));
        Path folder = Files.createDirectories(dir.resolve("tmp dir"));
        AotCache cache = new AotCache(java, Files.writeString(dir.resolve("lib.jar"), "a jar").toAbsolutePath().toString(), folder);
        Settings settings = settings();
        Path target = cache.cacheFile(settings);
        assertEquals(folder, target.getParent());
        String family = AotCache.familyPrefix(target);
        Path older = Files.writeString(folder.resolve(family + "0123456789abcdef.aot"), "from an older build");
        Path stranger = Files.writeString(folder.resolve("warhorse-0123456789abcdef-0123456789abcdef.aot"), "other apps");
        Path named = Files.writeString(folder.resolve("mine.aot"), "named by hand");

        AotCache.Plan plan = cache.plan(settings);
        Path configuration = Path.of(plan.jvmOptions().stream().filter(o -> o.startsWith("-XX:AOTConfiguration="))
                .findFirst().orElseThrow().substring("-XX:AOTConfiguration=".length()));
        Files.writeString(configuration, "what the worker loaded");
        plan.onExit().accept(0);

        long end = System.nanoTime() + 20_000_000_000L;
        while (!(Files.isRegularFile(target) && Files.notExists(older) && Files.notExists(configuration))) {
            assertTrue(System.nanoTime() < end, "not assembled within 20 s: " + List.of(folder.toFile().list()));
            Thread.sleep(10);
        }
        // in the cache's folder, not the master's working directory, which may be gone by then
        assertEquals("assembled in " + folder.toRealPath(), Files.readString(target));
        assertTrue(Files.isRegularFile(stranger), "another family's cache stays");
        assertTrue(Files.isRegularFile(named), "a cache named by hand stays");
        assertEquals("", AotCache.familyPrefix(named));
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
