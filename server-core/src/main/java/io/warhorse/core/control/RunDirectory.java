package io.warhorse.core.control;

import io.warhorse.core.config.Settings;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Where a master keeps its control socket and the files its workers share: a private directory,
 * {@code $XDG_RUNTIME_DIR/warhorse} when that is set, else {@code $TMPDIR/warhorse-UID} (the JVM's temporary folder
 * without {@code TMPDIR}). It is created with mode 0700; one that exists must be a real directory (not a link) of
 * the expected owner with no permission for group or others, or it is refused with its path: in a world-writable
 * folder another user could otherwise have made it first, and read or replace the socket. When the workers run as
 * another user ({@code warhorse.user}), it is that user's {@code $TMPDIR/warhorse-UID}: they must reach the socket,
 * and a root session's {@code $XDG_RUNTIME_DIR} is closed to them. The master and {@code warhorse ctl} both find
 * the socket here. Stateless; any thread.
 */
public final class RunDirectory {

    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private RunDirectory() {}

    /** The private directory for this user and environment (not created). */
    public static Path base(Map<String, String> env) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/")) {
            return Path.of(runtime, "warhorse");
        }
        return temporaryFolder(env).resolve("warhorse-" + currentUid());
    }

    /** The private directory of a master whose workers run as {@code workerUid} (another user than this process's). */
    public static Path base(Map<String, String> env, int workerUid) {
        return temporaryFolder(env).resolve("warhorse-" + workerUid);
    }

    /**
     * The control socket of the master on {@code port}: {@code control-socket} if set, else {@code PORT.sock} in
     * the run directory.
     *
     * @throws IOException when {@code warhorse.user} names no user of this system
     */
    public static Path socket(Settings settings, int port, Map<String, String> env) throws IOException {
        String configured = settings.master().controlSocket();
        if (!configured.isEmpty()) {
            return Path.of(configured).toAbsolutePath();
        }
        String user = settings.master().privileges().user();
        return (user.isEmpty() ? base(env) : base(env, uidOf(user))).resolve(port + ".sock");
    }

    /** The id of {@code user} (a name or an id), as {@code id -u} says. */
    public static int uidOf(String user) throws IOException {
        Process id = new ProcessBuilder("id", "-u", user).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        String output = new String(id.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        try {
            if (!id.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || id.exitValue() != 0 || !output.matches("\\d+")) {
                throw new IOException("no user " + user + " on this system (id -u " + user + ": " + output + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while looking up user " + user, e);
        }
        return Integer.parseInt(output);
    }

    private static Path temporaryFolder(Map<String, String> env) {
        String tmpdir = env.get("TMPDIR");
        return tmpdir != null && tmpdir.startsWith("/") ? Path.of(tmpdir) : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Creates {@code dir} (and missing parents) with mode 0700, or checks the one that is there.
     *
     * @param ownerUid the user that must own it
     * @throws IOException naming the directory and what is wrong with it
     */
    public static Path ensure(Path dir, int ownerUid) throws IOException {
        return ensure(dir, ownerUid, -1);
    }

    /**
     * As {@link #ensure(Path, int)}, for a root master whose workers run as {@code ownerUid}: the directory is
     * theirs (they must reach the socket), and one of this process's own is given to them.
     *
     * @param ownerGid the group to give it, or -1 to leave its group
     */
    public static Path ensure(Path dir, int ownerUid, int ownerGid) throws IOException {
        Files.createDirectories(dir.toAbsolutePath().getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
            Files.setPosixFilePermissions(dir, PRIVATE); // whatever the umask
        } catch (FileAlreadyExistsException exists) {
            check(dir, ownerUid);
        }
        if ((Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS) != ownerUid) {
            Files.setAttribute(dir, "unix:uid", ownerUid, LinkOption.NOFOLLOW_LINKS);
        }
        if (ownerGid >= 0) {
            Files.setAttribute(dir, "unix:gid", ownerGid, LinkOption.NOFOLLOW_LINKS);
        }
        return dir;
    }

    private static void check(Path dir, int ownerUid) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        String problem = attributes.isSymbolicLink() ? "is a symbolic link"
                : !attributes.isDirectory() ? "is not a directory"
                : owner != ownerUid && owner != currentUid() ? "belongs to user id " + owner + ", not " + ownerUid
                : !PRIVATE.containsAll(attributes.permissions()) ? "has mode " + PosixFilePermissions.toString(attributes.permissions())
                        + ", looser than rwx------"
                : null;
        if (problem != null) {
            throw new IOException("run directory " + dir + " " + problem + "; refusing to use it (another user may have "
                    + "made it to read or replace the control socket). Remove it, or point XDG_RUNTIME_DIR or TMPDIR "
                    + "elsewhere, or set warhorse.control-socket");
        }
    }

    /** This process's real user id. */
    public static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot tell this process's user id from /proc/self: " + e.getMessage(), e);
        }
    }
}
