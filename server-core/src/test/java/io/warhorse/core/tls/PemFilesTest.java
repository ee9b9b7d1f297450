package io.warhorse.core.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private keys as the real openssl command writes them, read with the JDK alone: each form gives the same key as
 * its PKCS#8 twin, encrypted keys and malformed files are one clear message each, and hostile DER inside a PEM block
 * is refused without reading past its end. (ServerTlsTest covers certificates, chains and keys that do not match.)
 */
class PemFilesTest {

    @TempDir
    Path dir;

    @Test
    void pkcs1AndSec1KeysAreTheKeysOfTheirPkcs8Forms() throws Exception {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.pkcs8");
        openssl("rsa", "-in", "rsa.pkcs8", "-traditional", "-out", "rsa.pkcs1");
        PrivateKey rsa = PemFiles.privateKey(dir.resolve("rsa.pkcs1"));
        assertTrue(rsa instanceof RSAPrivateCrtKey, rsa.getClass().toString());
        assertArrayEquals(PemFiles.privateKey(dir.resolve("rsa.pkcs8")).getEncoded(), rsa.getEncoded());

        for (String curve : List.of("prime256v1", "secp384r1", "secp521r1")) {
            openssl("ecparam", "-name", curve, "-genkey", "-out", curve + ".sec1"); // EC PARAMETERS, then the key
            openssl("pkcs8", "-topk8", "-nocrypt", "-in", curve + ".sec1", "-out", curve + ".pkcs8");
            PrivateKey ec = PemFiles.privateKey(dir.resolve(curve + ".sec1"));
            assertEquals(((ECPrivateKey) PemFiles.privateKey(dir.resolve(curve + ".pkcs8"))).getS(), ((ECPrivateKey) ec).getS(), curve);
            assertEquals(((ECPrivateKey) PemFiles.privateKey(dir.resolve(curve + ".pkcs8"))).getParams().getOrder(),
                    ((ECPrivateKey) ec).getParams().getOrder(), curve);
        }

        openssl("genpkey", "-algorithm", "ed25519", "-out", "ed25519.pkcs8");
        assertEquals("EdDSA", PemFiles.privateKey(dir.resolve("ed25519.pkcs8")).getAlgorithm());
    }

    @Test
    void encryptedKeysAreRefusedWithTheCommandThatDecryptsThem() throws Exception {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "plain.key");
        openssl("pkcs8", "-topk8", "-in", "plain.key", "-passout", "pass:secret", "-out", "pkcs8.key");
        openssl("rsa", "-in", "plain.key", "-traditional", "-aes256", "-passout", "pass:secret", "-out", "legacy.key");
        assertTrue(Files.readString(dir.resolve("legacy.key")).contains("Proc-Type: 4,ENCRYPTED"));
        for (String name : List.of("pkcs8.key", "legacy.key")) {
            assertEquals(dir.resolve(name) + " holds an encrypted private key; give it unencrypted "
                    + "(openssl pkey -in KEY -out KEY.plain) and readable only by warhorse's user", message(name));
        }
    }

    @Test
    void aSec1KeyWithoutItsCurveSaysHowToWriteOneWithIt() throws Exception {
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
        byte[] sec1 = der(dir.resolve("ec.key"));
        // SEQUENCE { INTEGER 1, OCTET STRING key, [0] curve, [1] public key }: the same without [0]
        Der key = Der.of(sec1).read(Der.SEQUENCE);
        byte[] version = key.readElement(Der.INTEGER);
        byte[] secret = key.readElement(Der.OCTET_STRING);
        key.read(Der.CONTEXT_0);
        pem("nocurve.key", "EC PRIVATE KEY", Der.element(Der.SEQUENCE, version, secret, key.rest()));
        assertTrue(message("nocurve.key").startsWith(dir.resolve("nocurve.key") + ": the EC private key names no curve;"),
                message("nocurve.key"));
    }

    @Test
    void malformedFilesAreOneMessageEach() throws Exception {
        Files.writeString(dir.resolve("unended.key"), "-----BEGIN PRIVATE KEY-----\nMIIB\n");
        assertEquals("cannot read " + dir.resolve("unended.key") + ": the PRIVATE KEY has no END line", message("unended.key"));

        Files.writeString(dir.resolve("base64.key"), "-----BEGIN PRIVATE KEY-----\nnot*base64!\n-----END PRIVATE KEY-----\n");
        assertTrue(message("base64.key").startsWith("cannot read " + dir.resolve("base64.key")
                + ": the PRIVATE KEY ending on line 3 is not valid base64"), message("base64.key"));

        Files.write(dir.resolve("binary.key"), new byte[] {(byte) 0x30, (byte) 0x82, (byte) 0xff, (byte) 0xfe});
        assertEquals("cannot read " + dir.resolve("binary.key") + ": not a PEM file (bytes that are not ASCII text)", message("binary.key"));

        assertEquals("cannot read " + dir.resolve("missing.key") + ": no such file", message("missing.key"));

        Files.writeString(dir.resolve("two.key"), "-----BEGIN PRIVATE KEY-----\nMIIB\n-----BEGIN CERTIFICATE-----\n");
        assertTrue(message("two.key").contains("line 3 (-----BEGIN CERTIFICATE-----) inside a PRIVATE KEY that has no END line"),
                message("two.key"));
    }

    @Test
    void hostileDerIsRefusedWithoutReadingPastItsEnd() throws Exception {
        // a length of 2^24 - 1 bytes in a block of six
        pem("long.key", "PRIVATE KEY", new byte[] {0x30, (byte) 0x83, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x02});
        assertTrue(message("long.key").startsWith(dir.resolve("long.key") + ": the private key cannot be decoded: a DER element of "
                + 0xffffff + " bytes where 1 are left"), message("long.key"));
        // an indefinite length, which DER forbids
        pem("indefinite.key", "RSA PRIVATE KEY", new byte[] {0x30, (byte) 0x80, 0x02, 0x01, 0x00, 0x00, 0x00});
        assertTrue(message("indefinite.key").startsWith(dir.resolve("indefinite.key") + ": the private key cannot be decoded"),
                message("indefinite.key"));
        // an algorithm the JDK's TLS cannot use: X25519 is for key agreement
        openssl("genpkey", "-algorithm", "x25519", "-out", "x25519.key");
        assertEquals(dir.resolve("x25519.key") + ": a private key of an algorithm the JDK's TLS cannot use (OID 1.3.101.110);"
                + " give an RSA, EC, EdDSA or DSA key", message("x25519.key"));
        // a truncated object identifier
        pem("oid.key", "PRIVATE KEY", Der.element(Der.SEQUENCE, Der.element(Der.INTEGER, new byte[] {0}),
                Der.element(Der.SEQUENCE, Der.element(Der.OID, new byte[] {0x2a, (byte) 0x86})), Der.element(Der.OCTET_STRING)));
        assertTrue(message("oid.key").endsWith("an object identifier that ends inside an arc"), message("oid.key"));
    }

    @Test
    void objectIdentifiersRoundTrip() {
        for (String oid : List.of("1.2.840.113549.1.1.1", "1.2.840.10045.2.1", "1.3.101.112", "2.999.3", "1.3.132.0.34")) {
            Der element = Der.of(Der.oid(oid));
            assertEquals(oid, element.read(Der.OID).oid());
        }
    }

    private String message(String name) {
        return assertThrows(TlsException.class, () -> PemFiles.privateKey(dir.resolve(name))).getMessage();
    }

    private void pem(String name, String label, byte[] der) throws Exception {
        Files.writeString(dir.resolve(name), "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END " + label + "-----\n");
    }

    private static byte[] der(Path pem) throws Exception {
        StringBuilder base64 = new StringBuilder();
        for (String line : Files.readAllLines(pem)) {
            if (!line.startsWith("-----")) {
                base64.append(line);
            }
        }
        return Base64.getDecoder().decode(base64.toString());
    }

    private void openssl(String... arguments) throws Exception {
        TestCerts.openssl(dir, arguments);
    }
}
