package io.warhorse.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The temporary folder ({@code TMPDIR}) of the warhorse processes the tests start: {@code target/warhorse-tmp}, so
 * the AOT caches and class-data archives they build (~40 MiB each, one per set of apps, and the tests deploy apps
 * from folders of their own) are shared by the whole run and go with {@code target/}, not left in /tmp.
 */
public final class TestTmp {

    private TestTmp() {}

    /** Sets {@code TMPDIR} in a launcher's environment. */
    public static void into(Map<String, String> environment) {
        environment.put("TMPDIR", folder().toString());
    }

    /**
     * The AOT cache file for the workers of every master the suite starts (io.warhorse.e2e.SuiteAotCache records it),
     * named after the distribution's jars ({@code lib}).
     */
    public static Path suiteAotCache(Path lib) {
        return folder().resolve("suite-workers-" + stamp(lib) + ".aot");
    }

    /**
     * A digest of the jars' names, sizes and times: a cache named outright is mapped as it is, and one made from other
     * jars gave a worker some classes of the old build and some of the new (NoSuchMethodError), so a rebuild names a
     * new one.
     */
    private static String stamp(Path lib) {
        try (Stream<Path> jars = Files.list(lib)) {
            StringBuilder text = new StringBuilder();
            for (Path jar : jars.sorted().toList()) {
                text.append(jar.getFileName()).append(' ').append(Files.size(jar)).append(' ')
                        .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
            }
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path folder() {
        try {
            return Files.createDirectories(Path.of("target", "warhorse-tmp")).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
