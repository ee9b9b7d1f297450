package io.warhorse.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** WARs made by the tests from the distribution's sample WARs: a WAR is a zip, so a file can be added to one. */
final class TestWars {

    /** A web.xml whose listener class is in no jar: deploying it fails when the app starts. */
    static final String MISSING_LISTENER_WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <listener><listener-class>io.warhorse.e2e.NoSuchListener</listener-class></listener>
            </web-app>
            """;

    private TestWars() {}

    /** Writes to {@code target} a copy of {@code source} with {@code files} (name to content) added or replaced. */
    static Path copyWith(Path source, Path target, Map<String, String> files) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try (ZipFile in = new ZipFile(source.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(temporary))) {
            for (Enumeration<? extends ZipEntry> entries = in.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                if (!files.containsKey(entry.getName())) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    in.getInputStream(entry).transferTo(out);
                    out.closeEntry();
                }
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return replace(temporary, target);
    }

    /** Writes {@code text} to {@code target}, which then is no zip at all. */
    static Path notAZip(Path target, String text) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return replace(temporary, target);
    }

    /** Swaps the file in one rename, as a deploy script would, so that no reader sees half a WAR. */
    private static Path replace(Path temporary, Path target) throws IOException {
        return Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
