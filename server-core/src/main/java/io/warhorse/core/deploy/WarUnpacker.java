package io.warhorse.core.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Copies zip entries to disk without trusting their names: an entry whose path would land outside the target folder
 * (zip-slip: {@code ../../etc/cron.d/x}, an absolute path) stops the whole unpack, because a WAR built that way is
 * either broken or hostile, and half an app is worse than none.
 */
final class WarUnpacker {

    /** Where a WAR bundles static files for the app's root inside its jars (Servlet 3.0). */
    static final String JAR_RESOURCES = "META-INF/resources/";

    private WarUnpacker() {}

    /** A zip entry tried to escape the target folder. */
    static final class UnsafeEntryException extends IOException {
        UnsafeEntryException(String entry) {
            super("unsafe entry '" + entry + "' points outside the WAR (zip-slip); refusing to unpack it");
        }
    }

    /** The file is not a zip archive at all. */
    static final class NotAZipException extends IOException {
        NotAZipException(ZipException cause) {
            super("not a WAR (not a zip file)", cause);
        }
    }

    /** Unpacks every entry of {@code war} under {@code target}. */
    static void unpack(Path war, Path target) throws IOException {
        extract(war, "", target);
    }

    /**
     * Unpacks the entries of {@code jar} under {@code META-INF/resources/} into {@code target}, without that prefix.
     * Returns false if the jar has none.
     */
    static boolean extractResources(Path jar, Path target) throws IOException {
        try {
            return extract(jar, JAR_RESOURCES, target) > 0;
        } catch (NotAZipException e) {
            throw new IOException("WEB-INF/lib/" + jar.getFileName() + " is not a valid jar (not a zip file)", e.getCause());
        }
    }

    /** True if {@code file} opens as a zip archive. */
    static boolean isZip(Path file) {
        try (ZipFile ignored = new ZipFile(file.toFile())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int extract(Path zip, String prefix, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        try (ZipFile file = open(zip)) {
            List<? extends ZipEntry> entries = selected(file, prefix);
            for (ZipEntry entry : entries) {
                copy(file, entry, destination(root, entry.getName().substring(prefix.length())));
            }
            return entries.size();
        }
    }

    private static ZipFile open(Path zip) throws IOException {
        try {
            return new ZipFile(zip.toFile());
        } catch (ZipException e) {
            throw new NotAZipException(e);
        }
    }

    private static List<? extends ZipEntry> selected(ZipFile file, String prefix) {
        List<ZipEntry> entries = new ArrayList<>();
        file.stream().filter(e -> e.getName().startsWith(prefix) && e.getName().length() > prefix.length())
                .forEach(entries::add);
        return entries;
    }

    /** Resolves {@code name} under {@code root}, refusing any name that leaves it. */
    static Path destination(Path root, String name) throws UnsafeEntryException {
        String portable = name.replace('\\', '/');
        if (portable.startsWith("/") || portable.contains("\0") || portable.matches("^[A-Za-z]:.*")) {
            throw new UnsafeEntryException(name);
        }
        Path resolved = root.resolve(portable).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root) && !portable.endsWith("/")) {
            throw new UnsafeEntryException(name);
        }
        return resolved;
    }

    private static void copy(ZipFile file, ZipEntry entry, Path destination) throws IOException {
        if (entry.isDirectory()) {
            Files.createDirectories(destination);
            return;
        }
        Files.createDirectories(destination.getParent());
        try (InputStream in = file.getInputStream(entry)) {
            Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
