package io.warhorse.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The temporary folder ({@code TMPDIR}) of the warhorse processes the tests start: {@code target/warhorse-tmp}, so
 * the AOT caches and class-data archives they build (~40 MiB each, one per set of apps, and the tests deploy apps
 * from folders of their own) are shared by the whole run and go with {@code target/}, not left in /tmp.
 */
public final class TestTmp {

    private TestTmp() {}

    /** Sets {@code TMPDIR} in a launcher's environment. */
    public static void into(Map<String, String> environment) {
        try {
            environment.put("TMPDIR", Files.createDirectories(Path.of("target", "warhorse-tmp")).toAbsolutePath().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
