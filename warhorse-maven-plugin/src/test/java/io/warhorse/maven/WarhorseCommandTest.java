package io.warhorse.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line and settings file the mojos start warhorse with, and how a JDK's release is read. */
class WarhorseCommandTest {

    @TempDir
    Path dir;

    @Test
    void settingsBecomeAHoconFileAndTheFlagsFollowTheMainClass() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("threads", "8");
        settings.put("worker.jvm-options", "[\"-Xmx256m\"]");
        Path config = dir.resolve("warhorse/warhorse.conf");
        List<String> command = WarhorseCommand.build(Path.of("/jdk/bin/java"), List.of(new File("/a.jar"), new File("/b.jar")),
                config, settings, List.of("--reload", "/app=/"));
        assertEquals("/jdk/bin/java", command.getFirst());
        assertEquals("/a.jar" + File.pathSeparator + "/b.jar", command.get(command.indexOf("-cp") + 1));
        assertEquals(List.of("io.warhorse.core.cli.Main", "-c", config.toString(), "--reload", "/app=/"),
                command.subList(command.indexOf("io.warhorse.core.cli.Main"), command.size()));
        assertTrue(command.contains("--enable-native-access=ALL-UNNAMED"), "the master binds its socket with FFM");
        assertEquals("""
                # written by warhorse-maven-plugin from the <settings> of the POM
                warhorse.threads = 8
                warhorse.worker.jvm-options = ["-Xmx256m"]
                """, Files.readString(config));
    }

    @Test
    void aJdksFeatureReleaseComesFromItsReleaseFile() throws Exception {
        Path jdk = Files.createDirectories(dir.resolve("jdk-25/bin"));
        Files.writeString(jdk.resolve("java"), "#!/bin/sh\n").toFile().setExecutable(true);
        Files.writeString(dir.resolve("jdk-25/release"), "IMPLEMENTOR=\"Someone\"\nJAVA_VERSION=\"25.0.1\"\n");
        assertEquals(25, JdkFinder.feature(dir.resolve("jdk-25")));
        Files.writeString(dir.resolve("jdk-25/release"), "JAVA_VERSION=\"17.0.15\"\n");
        assertEquals(17, JdkFinder.feature(dir.resolve("jdk-25")));
        assertEquals(0, JdkFinder.feature(dir.resolve("nothing-here")));
        assertEquals(Path.of(System.getProperty("java.home"), "bin/java"), JdkFinder.java(null).orElseThrow(),
                "the build's own JDK 25 comes first after a configured one");
    }
}
