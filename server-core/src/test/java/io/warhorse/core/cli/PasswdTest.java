package io.warhorse.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.process.ExitCodes;
import io.warhorse.core.security.RealmFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code warhorse passwd}: its line goes into a realm file as is; bad input gets a usage error. */
class PasswdTest {

    @TempDir
    Path work;

    @Test
    void printsARealmFileLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Passwd.run(new String[] {"alice", "admin", "user"}, null, stdin("wonderland\n"),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, code);
        String line = out.toString(StandardCharsets.UTF_8);
        assertTrue(line.matches("alice: \\$2y\\$12\\$\\S{53}, admin, user\\R"), line);
        RealmFile realm = RealmFile.read(Files.writeString(work.resolve("realm"), line));
        assertEquals(Set.of("admin", "user"), realm.user("alice").roles());
        assertTrue(realm.plainTextUsers().isEmpty());
    }

    @Test
    void refusesBadInput() {
        assertEquals(ExitCodes.USAGE, run(new String[] {}, "pw\n"));
        assertEquals(ExitCodes.USAGE, run(new String[] {"a:b"}, "pw\n"));
        assertEquals(ExitCodes.USAGE, run(new String[] {"alice", "ro le"}, "pw\n"));
        assertEquals(ExitCodes.USAGE, run(new String[] {"alice"}, ""));
        assertEquals(ExitCodes.USAGE, run(new String[] {"alice"}, "\n"));
        assertEquals(ExitCodes.USAGE, run(new String[] {"alice"}, "x".repeat(73) + "\n"));
    }

    private static int run(String[] args, String input) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Passwd.run(args, null, stdin(input), System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertTrue(err.size() > 0, "a reason on stderr");
        return code;
    }

    private static ByteArrayInputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
