package io.warhorse.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The realm file's format, its errors, bcrypt versions, and the brute-force guard with a fake clock. */
class RealmFileTest {

    @TempDir
    Path work;

    @Test
    void readsJettyRealmProperties() throws IOException {
        String b = hash(BCrypt.Version.VERSION_2B, "pw-b");
        String a = hash(BCrypt.Version.VERSION_2A, "pw-a");
        RealmFile realm = RealmFile.read(write("""
                # comment
                ! also a comment

                bee: %s, admin, user
                ay=%s
                plain: letmein ,  clerk
                """.formatted(b, a)));
        assertEquals(3, realm.size());
        assertEquals(Set.of("admin", "user"), realm.user("bee").roles());
        assertEquals(Set.of(), realm.user("ay").roles());
        assertEquals(Set.of("clerk"), realm.user("plain").roles());
        assertEquals(List.of("plain"), realm.plainTextUsers());
        assertTrue(Credentials.matches("pw-b".toCharArray(), b));
        assertTrue(Credentials.matches("pw-a".toCharArray(), a));
        assertTrue(Credentials.matches("letmein".toCharArray(), realm.user("plain").credential()));
        assertFalse(Credentials.matches("letmeout".toCharArray(), realm.user("plain").credential()));
        assertFalse(Credentials.matches("x".repeat(200).toCharArray(), b), "an over-long password fails, not throws");
        assertFalse(Credentials.matches("pw".toCharArray(), null));
        assertNull(realm.user("nobody"));
    }

    @Test
    void passwdHashesAre2yAndVerify() {
        String hash = Credentials.hash("correct horse".toCharArray());
        assertTrue(hash.startsWith("$2y$12$"), hash);
        assertTrue(Credentials.matches("correct horse".toCharArray(), hash));
        assertFalse(Credentials.matches("correct horsE".toCharArray(), hash));
    }

    @Test
    void everyProblemNamesFileAndLine() throws IOException {
        Path file = write("""
                good: pw
                no-separator-here
                md5: MD5:164c88b302622e17050af52c89945d44, user
                good: again
                broken: $2y$12$short
                empty:
                """);
        IOException error = assertThrows(IOException.class, () -> RealmFile.read(file));
        String message = error.getMessage();
        assertTrue(message.contains(file + ":2: expected \"user: credential"), message);
        assertTrue(message.contains(file + ":3: user md5: MD5: credentials are not supported"), message);
        assertTrue(message.contains(file + ":4: user good is listed twice"), message);
        assertTrue(message.contains(file + ":5: user broken: not a valid bcrypt hash"), message);
        assertTrue(message.contains(file + ":6: user empty has no credential"), message);
    }

    @Test
    void theGuardRefusesAnAddressAfterFailuresAndDoublesItsWait() {
        AtomicLong now = new AtomicLong();
        LoginGuard guard = new LoginGuard(Duration.ofSeconds(1), now::get);
        assertFalse(guard.refuses("10.0.0.1"));
        guard.failed("10.0.0.1");
        assertTrue(guard.refuses("10.0.0.1"));
        assertFalse(guard.refuses("10.0.0.2"), "other addresses are not slowed");
        now.addAndGet(Duration.ofMillis(1001).toNanos());
        assertFalse(guard.refuses("10.0.0.1"));
        guard.failed("10.0.0.1");
        now.addAndGet(Duration.ofMillis(1500).toNanos());
        assertTrue(guard.refuses("10.0.0.1"), "the second failure waits 2 s");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        guard.succeeded("10.0.0.1");
        guard.failed("10.0.0.1");
        now.addAndGet(Duration.ofMillis(1001).toNanos());
        assertFalse(guard.refuses("10.0.0.1"), "a good login started the count again");
    }

    @Test
    void theGuardsTableStaysBounded() {
        AtomicLong now = new AtomicLong();
        LoginGuard guard = new LoginGuard(Duration.ofSeconds(1), now::get);
        for (int i = 0; i < LoginGuard.MAX_ADDRESSES + 5; i++) {
            guard.failed("addr-" + i);
        }
        assertTrue(guard.refuses("addr-" + (LoginGuard.MAX_ADDRESSES + 4)));
        assertFalse(guard.refuses("addr-0"), "the full table was cleared rather than grown");
    }

    private Path write(String text) throws IOException {
        return Files.writeString(work.resolve("realm.properties"), text);
    }

    private static String hash(BCrypt.Version version, String password) {
        return new String(BCrypt.with(version).hash(4, password.toCharArray()), StandardCharsets.UTF_8);
    }
}
