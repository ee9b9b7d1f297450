package io.warhorse.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workers' class path as bin/warhorse names it: folders of jars expanded, the master's own without it. */
class WorkerClassPathTest {

    @TempDir
    Path home;

    @Test
    void foldersAreExpandedToTheirJarsInNameOrder() throws Exception {
        Path lib = Files.createDirectories(home.resolve("lib"));
        Path worker = Files.createDirectories(lib.resolve("worker"));
        for (Path jar : new Path[] {lib.resolve("b.jar"), lib.resolve("a.JAR"), worker.resolve("c.jar")}) {
            Files.writeString(jar, "");
        }
        Files.writeString(lib.resolve("notes.txt"), "");
        String expanded = WorkerClassPath.of(lib + "/*" + File.pathSeparator + worker + "/*" + File.pathSeparator
                + home.resolve("gone") + "/*" + File.pathSeparator + "/x/classes", "own.jar");
        assertEquals(String.join(File.pathSeparator, lib.resolve("a.JAR").toString(), lib.resolve("b.jar").toString(),
                worker.resolve("c.jar").toString(), "/x/classes"), expanded);
    }

    @Test
    void warhorsesOwnJarComesFirstInItsFolderForTheClassesItReplacesInXnioAndUndertow() throws Exception {
        Path lib = Files.createDirectories(home.resolve("lib"));
        for (String name : new String[] {"a.jar", "server-core-9.jar", "undertow-core-2.jar"}) {
            Files.writeString(lib.resolve(name), "");
        }
        assertEquals(String.join(File.pathSeparator, lib.resolve("server-core-9.jar").toString(),
                lib.resolve("a.jar").toString(), lib.resolve("undertow-core-2.jar").toString()),
                WorkerClassPath.expand(lib + "/*", "server-core-9.jar"));
    }

    @Test
    void withoutThePropertyWorkersGetTheMastersOwnClassPath() {
        assertEquals("own.jar" + File.pathSeparator + "classes", WorkerClassPath.of(null, "own.jar" + File.pathSeparator + "classes"));
        assertEquals("own.jar", WorkerClassPath.of(" ", "own.jar"));
    }
}
