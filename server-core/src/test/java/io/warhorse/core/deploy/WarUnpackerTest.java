package io.warhorse.core.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Entry names a WAR may use, and the ones that would escape the unpack folder. */
class WarUnpackerTest {

    private static final Path ROOT = Path.of("/srv/unpack/app").toAbsolutePath();

    @ParameterizedTest
    @ValueSource(strings = {"../x", "../../etc/passwd", "a/../../x", "a/b/../../../x", "..\\x", "a\\..\\..\\x",
            "/etc/passwd", "\\etc\\passwd", "C:/Windows/x", "c:\\x", "..", "a/../.."})
    void namesLeavingTheFolderAreRefused(String name) {
        assertThrows(WarUnpacker.UnsafeEntryException.class, () -> WarUnpacker.destination(ROOT, name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"index.html", "WEB-INF/web.xml", "a/../b.txt", "./c.txt", "dir/", "x..y/z", "..hidden"})
    void ordinaryNamesStayInside(String name) throws Exception {
        Path resolved = WarUnpacker.destination(ROOT, name);
        assertEquals(true, resolved.startsWith(ROOT), resolved.toString());
    }
}
