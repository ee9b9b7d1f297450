package io.warhorse.core.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds small WARs for the tests: Java sources compiled with the JDK's compiler against the test class path,
 * WEB-INF/lib jars made of their own sources and files, and any other entry as text.
 */
final class WarBuilder {

    private final Path work;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private final Map<String, WarBuilder> jars = new LinkedHashMap<>();

    WarBuilder(Path work) {
        this.work = work;
    }

    /** A class of WEB-INF/classes (or of the jar, for a jar builder); {@code path} like "com/acme/Hello.java". */
    WarBuilder source(String path, String code) {
        sources.put(path, code);
        return this;
    }

    WarBuilder file(String path, String text) {
        entries.put(path, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    WarBuilder binary(String path, byte[] bytes) {
        entries.put(path, bytes);
        return this;
    }

    WarBuilder webXml(String body) {
        return webXml("", body);
    }

    /** A Servlet 6.0 web.xml with {@code attributes} on {@code <web-app>} and {@code body} inside it. */
    WarBuilder webXml(String attributes, String body) {
        return file("WEB-INF/web.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" %s>
                %s
                </web-app>
                """.formatted(attributes, body));
    }

    /** A WEB-INF/lib jar named {@code name}; its classes are visible to the WAR's sources when compiling. */
    WarBuilder jar(String name, WarBuilder jar) {
        jars.put(name, jar);
        return this;
    }

    WarBuilder jarBuilder() {
        return new WarBuilder(work);
    }

    /** Writes the WAR to {@code war} and returns it. */
    Path build(Path war) throws IOException {
        Map<String, byte[]> all = new LinkedHashMap<>();
        List<Path> libClasses = new ArrayList<>();
        for (var jar : jars.entrySet()) {
            Path classes = jar.getValue().compile(List.of(), "");
            if (classes != null) {
                libClasses.add(classes);
            }
            all.put("WEB-INF/lib/" + jar.getKey(), zipBytes(jar.getValue().contents(classes, "")));
        }
        Path classes = compile(libClasses, "WEB-INF/classes/");
        all.putAll(contents(classes, "WEB-INF/classes/"));
        Files.write(war, zipBytes(all));
        return war;
    }

    private Map<String, byte[]> contents(Path classes, String prefix) throws IOException {
        Map<String, byte[]> all = new LinkedHashMap<>(entries);
        if (classes != null) {
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    all.put(prefix + classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                }
            }
        }
        return all;
    }

    private Path compile(List<Path> classPath, String label) throws IOException {
        if (sources.isEmpty()) {
            return null;
        }
        Path src = Files.createTempDirectory(work, "src");
        Path out = Files.createTempDirectory(work, "classes");
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-proc:none", "-nowarn", "-classpath",
                String.join(java.io.File.pathSeparator, classPathWith(classPath))));
        for (var source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac.run(null, null, System.err, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("fixture sources do not compile " + label + ": see the output above");
        }
        return out;
    }

    private List<String> classPathWith(List<Path> more) {
        List<String> path = new ArrayList<>();
        more.forEach(p -> path.add(p.toString()));
        path.add(System.getProperty("java.class.path"));
        return path;
    }

    static byte[] zipBytes(Map<String, byte[]> entries) {
        var bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static void writeZip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(zipBytes(entries));
        }
    }
}
