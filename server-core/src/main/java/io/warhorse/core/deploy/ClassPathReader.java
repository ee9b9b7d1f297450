package io.warhorse.core.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the class files of a class path into {@link ScannedClass}es, entry after entry in order: a folder
 * (WEB-INF/classes) file by file, a jar entry by entry as the class loader sees it: in a multi-release jar a class
 * comes from {@code META-INF/versions/N/} for the highest N up to the running JDK's feature release, never above.
 * The first class of a name wins, as in class loading. Jars inside jars are not opened; {@code module-info},
 * {@code package-info} and anything else under {@code META-INF/} are skipped.
 *
 * <p>Every byte may be hostile. A class file over {@link #MAX_CLASS_FILE} bytes, a jar that is not a zip and an
 * entry that cannot be inflated fail the deployment with a {@link DeploymentException} naming the file: the WAR is
 * broken or forged. Bytes that are not a class file this JDK reads are skipped with a WARN naming the file, since the
 * class loader fails on them only if something loads them (a jar may carry, say, classes for a newer JDK). Runs on
 * the deploying thread; every jar is closed before {@link #read} returns.
 */
final class ClassPathReader {

    /** Far more than any compiled class needs; a bigger entry is a zip bomb or a forgery. */
    static final int MAX_CLASS_FILE = 64 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(ClassPathReader.class);
    private static final String SUFFIX = ".class";

    private final String app;
    private final Map<String, ScannedClass> classes = new LinkedHashMap<>();

    private ClassPathReader(String app) {
        this.app = app;
    }

    /**
     * The classes of {@code entries} (folders and jars; missing ones are passed over) by binary name, in class path
     * order. {@code app} starts the log lines ("app /shop (shop.war)").
     */
    static Map<String, ScannedClass> read(String app, List<Path> entries) throws DeploymentException {
        ClassPathReader reader = new ClassPathReader(app);
        for (Path entry : entries) {
            Path source = entry.toAbsolutePath().normalize();
            if (Files.isDirectory(source)) {
                reader.readFolder(source);
            } else if (Files.isRegularFile(source)) {
                reader.readJar(source);
            }
        }
        return Collections.unmodifiableMap(reader.classes);
    }

    private void readFolder(Path folder) throws DeploymentException {
        String label = label(folder);
        for (Path file : classFiles(folder, label)) {
            String path = folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            if (wanted(path) && !classes.containsKey(className(path))) {
                String where = label + "/" + path;
                try (InputStream in = Files.newInputStream(file)) {
                    add(path, bytes(in, Files.size(file), where), folder, where);
                } catch (IOException e) {
                    throw new DeploymentException(where + " cannot be read: " + reason(e), e);
                }
            }
        }
    }

    /** The class files under {@code folder}, following links (as the class loader does) but not round a loop. */
    private static List<Path> classFiles(Path folder, String label) throws DeploymentException {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(folder, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                            if (attributes.isRegularFile() && file.getFileName().toString().endsWith(SUFFIX)) {
                                files.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                            if (e instanceof FileSystemLoopException) {
                                return FileVisitResult.CONTINUE;
                            }
                            throw e;
                        }
                    });
        } catch (IOException e) {
            throw new DeploymentException(label + " cannot be read: " + reason(e), e);
        }
        return files;
    }

    private void readJar(Path jar) throws DeploymentException {
        String label = label(jar);
        try (JarFile file = new JarFile(jar.toFile(), false, ZipFile.OPEN_READ, Runtime.version())) {
            for (Iterator<JarEntry> entries = file.versionedStream().iterator(); entries.hasNext(); ) {
                JarEntry entry = entries.next();
                String path = entry.getName();
                if (entry.isDirectory() || !wanted(path) || classes.containsKey(className(path))) {
                    continue;
                }
                String where = label + "!/" + entry.getRealName();
                try (InputStream in = file.getInputStream(entry)) {
                    add(path, bytes(in, entry.getSize(), where), jar, where);
                } catch (IOException e) {
                    throw new DeploymentException(where + " cannot be read: " + reason(e), e);
                }
            }
        } catch (ZipException e) {
            throw new DeploymentException(label + " is not a valid jar: " + reason(e), e);
        } catch (IOException | UncheckedIOException e) {
            throw new DeploymentException(label + " cannot be read: " + reason(e), e);
        }
    }

    private void add(String path, byte[] bytes, Path source, String where) {
        ScannedClass scanned;
        try {
            scanned = ClassFileReader.read(bytes, source);
        } catch (ClassFileReader.UnreadableClassException e) {
            LOG.warn("{}: {} is not a class file this JDK reads ({}); its types and annotations are not scanned", app,
                    where, e.getMessage());
            return;
        }
        if (!scanned.name().equals(className(path))) {
            LOG.debug("{}: {} holds {}, which no class loader finds there; skipped", app, where, scanned.name());
            return;
        }
        classes.put(scanned.name(), scanned);
    }

    /** A class file, not module-info, package-info or a resource under META-INF/ (a versioned entry has its base name). */
    private static boolean wanted(String path) {
        if (!path.endsWith(SUFFIX) || path.startsWith("META-INF/")) {
            return false;
        }
        String file = path.substring(path.lastIndexOf('/') + 1);
        return !file.equals("module-info.class") && !file.equals("package-info.class");
    }

    /** {@code com.acme.Outer$Inner} for {@code com/acme/Outer$Inner.class}. */
    private static String className(String path) {
        return path.substring(0, path.length() - SUFFIX.length()).replace('/', '.');
    }

    /** At most {@link #MAX_CLASS_FILE} bytes: {@code size} of them if known (the class loader reads as many). */
    private static byte[] bytes(InputStream in, long size, String where) throws IOException, DeploymentException {
        if (size > MAX_CLASS_FILE) {
            throw tooBig(where);
        }
        if (size >= 0) {
            return in.readNBytes((int) size);
        }
        byte[] bytes = in.readNBytes(MAX_CLASS_FILE + 1);
        if (bytes.length > MAX_CLASS_FILE) {
            throw tooBig(where);
        }
        return bytes;
    }

    private static DeploymentException tooBig(String where) {
        return new DeploymentException(where + " is larger than " + (MAX_CLASS_FILE >> 20)
                + " MiB, more than any class file needs; refusing it");
    }

    /** {@code WEB-INF/lib/shop.jar} for an entry of the app, the whole path for any other (the Servlet API jar). */
    static String label(Path entry) {
        for (int i = entry.getNameCount() - 1; i >= 0; i--) {
            if (entry.getName(i).toString().equals("WEB-INF")) {
                return entry.subpath(i, entry.getNameCount()).toString().replace(entry.getFileSystem().getSeparator(), "/");
            }
        }
        return entry.toString();
    }

    /** A zip's own message says what is wrong ("invalid LOC header"); other errors need their type to make sense. */
    private static String reason(Exception e) {
        Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
        boolean plain = (cause instanceof ZipException || cause.getClass() == IOException.class) && cause.getMessage() != null;
        return plain ? cause.getMessage().replaceAll("\\s+", " ").trim() : StartupFailures.describe(cause);
    }
}
