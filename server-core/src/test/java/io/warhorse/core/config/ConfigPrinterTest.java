package io.warhorse.core.config;

import static io.warhorse.core.config.ConfigFiles.flag;
import static io.warhorse.core.config.ConfigFiles.load;
import static io.warhorse.core.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPrinterTest {

    @TempDir
    Path dir;

    @Test
    void printsEverySettingWithItsOrigin() throws Exception {
        Path file = write(dir, "warhorse.conf", "warhorse {\n  threads = 8\n}\n");
        var config = load(file, Map.of("WARHORSE_QUEUE", "5"), List.of(flag("warhorse.worker.kind", "sync")), dir).config();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConfigPrinter.print(config, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

        assertEquals(Reference.settings().size(), lines.size());
        assertEquals("warhorse.worker.kind = \"sync\"  # command line --worker", lines.getFirst());
        assertTrue(lines.contains("warhorse.threads = 8  # " + file + ":2"), lines.toString());
        assertTrue(lines.contains("warhorse.queue = 5  # env WARHORSE_QUEUE"), lines.toString());
        assertTrue(lines.contains("warhorse.backlog = 2048  # reference.conf"), lines.toString());
        assertTrue(lines.contains("warhorse.http.idle-timeout = \"60s\"  # reference.conf"), lines.toString());
    }
}
