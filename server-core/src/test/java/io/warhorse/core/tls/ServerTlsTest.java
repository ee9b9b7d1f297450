package io.warhorse.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.config.Settings;
import io.warhorse.core.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM files in every form a server is given, and a clear message for each way they can be wrong. */
class ServerTlsTest {

    @TempDir
    static Path dir;
    static TestCerts certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCerts.in(dir);
        certs.rsaServer("rsa", 10);
        certs.ecServer("ec", 11);
        certs.rsaServer("other", 12);
        certs.expired("expired");
    }

    private static Settings.Tls tls(String cert, String key) {
        return new Settings.Tls(dir.resolve(cert), dir.resolve(key), null, "none", List.of("TLSv1.3", "TLSv1.2"), List.of());
    }

    @Test
    void readsAChainWithPkcs8Pkcs1AndSec1Keys() throws Exception {
        assertEquals("CN=rsa", ServerTls.load(tls("rsa.pem", "rsa.key")).certificate().getSubjectX500Principal().getName());
        assertTrue(Files.readString(dir.resolve("rsa-rsa.key")).contains("BEGIN RSA PRIVATE KEY"));
        assertEquals("CN=rsa", ServerTls.load(tls("rsa.pem", "rsa-rsa.key")).certificate().getSubjectX500Principal().getName());
        assertTrue(Files.readString(dir.resolve("ec.key")).contains("BEGIN EC PRIVATE KEY"));
        assertEquals("CN=ec", ServerTls.load(tls("ec.pem", "ec.key")).certificate().getSubjectX500Principal().getName());
        assertEquals(2, PemFiles.certificates(dir.resolve("rsa.pem")).size(), "leaf and intermediate");
    }

    @Test
    void eachBadFileIsOneClearMessage() throws Exception {
        assertEquals("the certificate in " + dir.resolve("expired.pem") + " (CN=expired) expired on ",
                message(tls("expired.pem", "expired.key")).replaceAll("expired on .*", "expired on "));
        assertTrue(message(tls("rsa.pem", "other.key")).startsWith("the private key in " + dir.resolve("other.key")
                + " does not match the certificate in " + dir.resolve("rsa.pem")), message(tls("rsa.pem", "other.key")));
        assertTrue(message(tls("rsa.pem", "ec.key")).contains("does not match"), "an EC key for an RSA certificate");
        Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        assertEquals(dir.resolve("garbage.pem") + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                message(tls("garbage.pem", "rsa.key")));
        assertEquals(dir.resolve("rsa.pem") + " holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)",
                message(tls("rsa.pem", "rsa.pem")));
        assertTrue(message(tls("missing.pem", "rsa.key")).startsWith("cannot read " + dir.resolve("missing.pem")));
    }

    private static String message(Settings.Tls tls) {
        return assertThrows(TlsException.class, () -> ServerTls.load(tls)).getMessage();
    }
}
