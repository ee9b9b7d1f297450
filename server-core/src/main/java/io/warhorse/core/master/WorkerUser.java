package io.warhorse.core.master;

import io.warhorse.core.config.Settings;
import io.warhorse.core.control.RunDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The user and group workers run as ({@code --user}, {@code --group}), resolved to ids once at start. A worker
 * is started through {@code setpriv(1)} (util-linux), which sets its user, group and supplementary groups and
 * then execs {@code java}: the worker JVM never runs with the master's privileges, and keeps the pid the master
 * watches and signals. (A JVM cannot drop them itself: setuid in a process whose threads already run is not
 * something the JDK supports, and the master must stay root to bind again after a reload and to signal.)
 * Immutable; used on the master's main and arbiter threads.
 *
 * @param uid        the workers' user id
 * @param gid        the workers' group id
 * @param initGroups whether the user's supplementary groups are set from the group database (a user given by an
 *                   id the system does not know has none)
 */
record WorkerUser(int uid, int gid, boolean initGroups) {

    private static final List<Path> SETPRIV = List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"));

    /** The user of {@code privileges}, or null when workers keep the master's. */
    static WorkerUser resolve(Settings.Privileges privileges) throws IOException {
        if (!privileges.dropped()) {
            return null;
        }
        int self = RunDirectory.currentUid();
        if (self != 0) {
            throw new IOException("warhorse.user (--user " + privileges.user() + ") needs a master started as root, "
                    + "which binds the port and then starts the workers as that user; this one runs as user id " + self);
        }
        setpriv();
        String user = privileges.user();
        int uid = Integer.parseInt(query("user " + user, "id", "-u", user));
        int gid = privileges.group().isEmpty() ? Integer.parseInt(query("user " + user, "id", "-g", user))
                : privileges.group().matches("\\d+") ? Integer.parseInt(privileges.group())
                : Integer.parseInt(query("group " + privileges.group(), "getent", "group", privileges.group()).split(":")[2]);
        return new WorkerUser(uid, gid, !user.matches("\\d+"));
    }

    /** What goes before {@code java} on a worker's command line. */
    List<String> commandPrefix() throws IOException {
        return List.of(setpriv().toString(), "--reuid=" + uid, "--regid=" + gid,
                initGroups ? "--init-groups" : "--clear-groups", "--");
    }

    /** Gives {@code file} to the workers' user and group (it must exist). */
    void own(Path file) throws IOException {
        Files.setAttribute(file, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(file, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    /** Creates {@code file} if missing (a log the workers append to) and gives it to them. */
    void ownFile(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.createFile(file);
        }
        own(file);
    }

    private static Path setpriv() throws IOException {
        return SETPRIV.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new IOException(
                "warhorse.user needs setpriv(1) to start the workers as that user; install util-linux"));
    }

    /** The first line {@code command} prints, or an error naming {@code what} when it fails (an unknown name). */
    private static String query(String what, String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0 || output.isEmpty()) {
                throw new IOException("no " + what + " on this system (" + String.join(" ", command) + ": "
                        + (output.isEmpty() ? "nothing found" : output) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while looking up " + what, e);
        }
        return output.lines().findFirst().orElseThrow();
    }
}
