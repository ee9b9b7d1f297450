package io.warhorse.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of ARCHITECTURE.md, read from the sources: the master imports nothing from the worker or deploy
 * packages, the SPI and the shared process and control packages nothing from the worker. (Run from server-core.)
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src/main/java/io/warhorse/core");

    @Test
    void theMasterAndWhatItSharesImportNothingFromTheWorker() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from server-core: " + SOURCES.toAbsolutePath());
        assertEquals(List.of(), importsOf("master", "io.warhorse.core.worker", "io.warhorse.core.deploy"));
        assertEquals(List.of(), importsOf("spi", "io.warhorse.core.worker"));
        assertEquals(List.of(), importsOf("process", "io.warhorse.core.worker", "io.warhorse.core.master"));
        assertEquals(List.of(), importsOf("control", "io.warhorse.core.worker", "io.warhorse.core.master"));
    }

    /** The lines of {@code pkg}'s sources (sub-packages included) that name a class of one of {@code forbidden}. */
    private static List<String> importsOf(String pkg, String... forbidden) throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg))) {
            return files.filter(file -> file.toString().endsWith(".java")).flatMap(file -> {
                try {
                    return Files.readAllLines(file).stream()
                            .map(line -> line.replaceAll("\"[^\"]*\"", "\"\"")) // a class named in a string is no import
                            .filter(line -> Stream.of(forbidden).anyMatch(name -> line.contains(name + ".")))
                            .map(line -> file.getFileName() + ": " + line.strip());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
