package io.warhorse.core.master;

import io.warhorse.core.config.AppSpec;
import io.warhorse.core.config.Settings;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's ahead-of-time cache for workers (JEP 483, 514, 515): the classes a worker loads and links, and the
 * profiles of the methods it runs, read from one mapped file instead of being found, parsed, verified and linked
 * again by every worker. A worker booted from it serves its first request about a third sooner than one from a
 * dynamic class-data-sharing archive (bench/: respawn). The cache belongs to one JDK, class path, set of JVM
 * options and set of apps ({@code worker.class-data-archive = "auto"} names it after a digest of those, in the
 * temporary folder, and deletes the older caches of the same install and apps once a new one is in place; a path
 * names it outright), and is built without a separate training step:
 *
 * <ol>
 *   <li>no cache yet: the next worker <em>records</em> ({@code -XX:AOTMode=record}); its JVM writes what it
 *       loaded and profiled to a configuration file when it exits. One worker per cache records at a time;
 *   <li>that worker exits with 0: the master assembles the cache from the configuration in the background
 *       ({@code java -XX:AOTMode=create} under {@code sh}, standard input from /dev/null so it never holds the
 *       listening socket, output in {@code CACHE.log} if it fails) into a temporary file that {@code sh} renames
 *       into place, so no worker maps half a cache and no master needs to be there at the end;
 *   <li>a cache exists: every worker maps it ({@code -XX:AOTCache}). A cache the JVM finds unusable (a JDK
 *       update in place) is ignored by the JVM, and the worker starts as it would without one.
 * </ol>
 * A recording worker that is killed leaves no configuration; the next worker records again, twice at most (a JVM
 * that refuses to record with the user's JVM options must not fail every worker). The assembly takes a
 * few seconds of one core, once per cache; when the master stops meanwhile (the recording worker's exit is often
 * the master's own stop), the assembler, in a session of its own, finishes on its own and leaves the cache for the
 * next start, holding no socket. (A service manager that kills every process of the service on stop ends it; the
 * next start records again, and a recycle or a reload while running builds the cache.) Called on the arbiter's
 * thread; exits are observed on the JDK's process-reaper threads.
 */
final class AotCache {

    private static final Logger LOG = LoggerFactory.getLogger(AotCache.class);
    /** The JDK reports what it could not cache, and that it recorded; that is noise in the workers' log. */
    private static final List<String> QUIET = List.of("-Xlog:cds*=off", "-Xlog:aot*=off");
    /** A JVM that will not record with the user's options would otherwise fail every worker it is given to. */
    private static final int MAX_FAILED_RECORDINGS = 2;
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /** What a worker about to start gets: its JVM options, what to do with its exit code, and a note for its row. */
    record Plan(List<String> jvmOptions, IntConsumer onExit, String note) {
        static final Plan NONE = new Plan(List.of(), code -> {}, "");

        Plan(List<String> jvmOptions, IntConsumer onExit) {
            this(jvmOptions, onExit, "");
        }
    }

    private final Path folder;
    private final Path java;
    private final String classPath;
    /** Each class path entry with its size and time: the JVM refuses a cache made from other jars. */
    private final String classPathStamp;
    private final Set<Path> busy = ConcurrentHashMap.newKeySet();
    /** Recordings that ended without a configuration, per cache; after two, workers start without one. */
    private final Map<Path, Integer> failedRecordings = new ConcurrentHashMap<>();

    AotCache(Path java, String classPath) {
        this(java, classPath, temporaryFolder());
    }

    /** With {@code "auto"}, caches are named in {@code folder}. */
    AotCache(Path java, String classPath, Path folder) {
        this.folder = folder;
        this.java = java;
        this.classPath = classPath;
        StringBuilder stamp = new StringBuilder();
        for (String entry : classPath.split(File.pathSeparator)) {
            appendStamp(stamp, entry).append('\n');
        }
        this.classPathStamp = stamp.toString();
    }

    /** {@code file}, then its size and time if it can be read (if not, the JVM or the deployment will say so). */
    private static StringBuilder appendStamp(StringBuilder key, String file) {
        key.append(file);
        try {
            Path path = Path.of(file);
            key.append(' ').append(Files.size(path)).append(' ').append(Files.getLastModifiedTime(path).toMillis());
        } catch (IOException | InvalidPathException e) {
            // the key just lacks the file's size and time
        }
        return key;
    }

    /** The plan for the next worker of {@code settings}. */
    Plan plan(Settings settings) {
        Path cache = cacheFile(settings);
        if (cache == null) {
            return Plan.NONE;
        }
        List<String> options = new ArrayList<>(QUIET);
        if (Files.isRegularFile(cache)) {
            options.add("-XX:AOTCache=" + cache);
            return new Plan(options, code -> {});
        }
        if (failedRecordings.getOrDefault(cache, 0) >= MAX_FAILED_RECORDINGS || !busy.add(cache)) {
            return new Plan(options, code -> {}); // another worker records, or the cache is being assembled
        }
        Path configuration = sibling(cache, "." + ProcessHandle.current().pid() + ".aotconf");
        options.addAll(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration));
        List<String> jvmOptions = WorkerJvmOptions.of(settings);
        return new Plan(options, code -> recorded(code, configuration, cache, jvmOptions),
                "recording the AOT cache: more memory until it exits, which writes the cache for the workers after it");
    }

    private void recorded(int exitCode, Path configuration, Path cache, List<String> jvmOptions) {
        // called on a process-reaper thread
        if (exitCode != 0 || !Files.isRegularFile(configuration)) {
            deleteQuietly(configuration);
            if (failedRecordings.merge(cache, 1, Integer::sum) == MAX_FAILED_RECORDINGS) {
                LOG.warn("two workers recording the AOT cache {} ended without a recording (the last with exit code {});"
                        + " workers start without the cache until the master restarts", cache, exitCode);
            }
            busy.remove(cache);
            return;
        }
        Path partial = sibling(cache, "." + ProcessHandle.current().pid() + ".partial");
        Path log = sibling(cache, ".log");
        List<String> assemble = new ArrayList<>(List.of(java.toString()));
        assemble.addAll(jvmOptions);
        assemble.addAll(List.of("-Xlog:cds*=off", "-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration,
                "-XX:AOTCache=" + partial, "--enable-native-access=ALL-UNNAMED", "-cp", classPath));
        // sh renames and cleans up itself (the master may be gone by the time the assembly ends); once the new cache
        // is in place it deletes the caches of the same install and apps made from older jars, WARs or JVM options
        // (~40 MiB each; a worker still mapping one keeps its pages)
        String script = "\"$@\" && mv -f \"$P\" \"$C\" && rm -f \"$L\"; status=$?; rm -f \"$P\" \"$F\"; "
                + "if [ $status = 0 ] && [ -n \"$G\" ]; then for f in \"$D/$G\"*.aot; do [ \"$f\" = \"$C\" ] || rm -f \"$f\"; done; fi; "
                + "exit $status";
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString()); // a session of its own: a Ctrl-C or a kill of the master's group spares it
        }
        command.addAll(List.of("/bin/sh", "-c", script, "warhorse-aot-assembler"));
        command.addAll(assemble);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (absolute(classPath)) {
            // in the cache's folder: the master's working directory may be gone by the time this JVM starts (a folder
            // removed once the master stopped), and a JVM without one dies at once ("Could not determine current
            // working directory"), leaving no cache, so that every worker after records again
            builder.directory(cache.getParent().toFile());
        }
        builder.environment().putAll(Map.of("P", partial.toString(), "C", cache.toString(), "L", log.toString(),
                "F", configuration.toString(), "D", cache.getParent().toString(), "G", familyPrefix(cache)));
        try {
            builder.start().onExit().thenAccept(done -> {
                busy.remove(cache);
                if (done.exitValue() == 0 && Files.isRegularFile(cache)) {
                    LOG.info("workers' AOT cache ready: {}; workers started from now on map it", cache);
                } else {
                    LOG.warn("assembling the workers' AOT cache {} failed (exit {}); see {}", cache, done.exitValue(), log);
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot assemble the workers' AOT cache {}: {}", cache, e.toString());
            deleteQuietly(configuration);
            busy.remove(cache);
        }
    }

    /** Whether every entry of {@code classPath} is absolute, so that it names the same files from any folder. */
    private static boolean absolute(String classPath) {
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!Path.of(entry).isAbsolute()) {
                return false;
            }
        }
        return true;
    }

    /** The cache file for these settings, or null when the cache is off. */
    Path cacheFile(Settings settings) {
        String archive = settings.workerProcess().classDataArchive();
        if (archive.isEmpty() || WorkerJvmOptions.of(settings).stream().anyMatch(AotCache::managesClassData)) {
            return null;
        }
        if (!archive.equals("auto")) {
            return Path.of(archive).toAbsolutePath();
        }
        // warhorse-FAMILY-KEY.aot: the family is this install and these apps, the key adds what a new build or
        // deployment changes (the JDK's version, the files' sizes and times, the JVM options)
        StringBuilder family = new StringBuilder().append(java).append('\n').append(classPath);
        StringBuilder key = new StringBuilder().append(Runtime.version()).append('\n').append(java).append('\n')
                .append(classPathStamp).append(WorkerJvmOptions.of(settings));
        for (AppSpec app : settings.apps()) {
            String source = app.source().toAbsolutePath().toString();
            family.append('\n').append(app.contextPath()).append(' ').append(source);
            appendStamp(key.append('\n').append(app.contextPath()).append(' '), source);
        }
        return folder.resolve("warhorse-" + digest(family.toString()) + "-" + digest(key.toString()) + ".aot");
    }

    /** {@code $TMPDIR} as Unix tools read it (bin/warhorse keeps the master's archive there too), else the JVM's. */
    private static Path temporaryFolder() {
        String tmpdir = System.getenv("TMPDIR");
        return tmpdir != null && tmpdir.startsWith("/") ? Path.of(tmpdir) : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** {@code warhorse-FAMILY-}, what the names of the caches of the family of {@code cache} start with; "" when named by hand. */
    static String familyPrefix(Path cache) {
        String name = cache.getFileName().toString();
        return name.matches("warhorse-\\p{XDigit}{16}-\\p{XDigit}{16}\\.aot") ? name.substring(0, name.lastIndexOf('-') + 1) : "";
    }

    /** A JVM option by which the user manages class data sharing; warhorse's cache stays out of the way. */
    private static boolean managesClassData(String option) {
        return option.startsWith("-Xshare") || option.startsWith("-XX:SharedArchiveFile") || option.startsWith("-XX:AOT")
                || option.startsWith("-XX:ArchiveClassesAtExit") || option.contains("AutoCreateSharedArchive");
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            return Integer.toHexString(text.hashCode());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover in the temporary folder
        }
    }
}
