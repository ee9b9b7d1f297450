package io.warhorse.core.sessions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * sqlite-jdbc's native library for the local store, copied out of its jar once per master into the run directory.
 * Left to itself, sqlite-jdbc copies the library into the temporary folder under a new name in every JVM that
 * opens a connection, reads it back to compare, and deletes it at exit: about a tenth of a worker's boot CPU, per
 * worker and per respawn. A JVM started with {@link #jvmOptions()} loads the run directory's copy instead (and
 * falls back to its own copy if that file is gone). Called on the master's arbiter thread.
 */
public final class SqliteLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteLibrary.class);
    private static final String PATH = "org.sqlite.lib.path";
    private static final String NAME = "org.sqlite.lib.name";

    private final Path folder;
    private final String name;

    private SqliteLibrary(Path folder, String name) {
        this.folder = folder;
        this.name = name;
    }

    /**
     * Copies the library for this platform into {@code folder}; null (logged) when the jar has none for this platform
     * or the copy fails: every JVM then finds its own, as before. The master itself never loads this copy: with
     * {@code user} set, the folder belongs to the workers' user, and a root master must not run code they can replace.
     */
    public static SqliteLibrary copyInto(Path folder) {
        String name = LibraryLoaderUtil.getNativeLibName();
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                LOG.debug("sqlite-jdbc has no {}: each JVM loads SQLite its own way", resource);
                return null;
            }
            Path partial = folder.resolve(name + ".partial");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot copy SQLite's native library into {} ({}); each worker extracts its own", folder, e.toString());
            return null;
        }
        return new SqliteLibrary(folder.toAbsolutePath(), name);
    }

    /** The system properties that make a JVM load this copy. */
    public List<String> jvmOptions() {
        return List.of("-D" + PATH + "=" + folder, "-D" + NAME + "=" + name);
    }
}
