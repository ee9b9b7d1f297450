package io.warhorse.core.testing;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time with the real openssl command (none is committed): a CA, an intermediate, server
 * certificates for 127.0.0.1 and localhost signed through the intermediate with RSA (PKCS#8 and PKCS#1 keys) and
 * EC (SEC1 key), and a client certificate. An expired one is made with Bouncy Castle, as openssl 3.0 cannot
 * back-date. Each openssl run is bounded in time.
 */
public final class TestCerts {

    private final Path dir;

    private TestCerts(Path dir) {
        this.dir = dir;
    }

    /** Makes ca.pem, the intermediate, and the client pair (client.pem, client.key) in {@code dir}. */
    public static TestCerts in(Path dir) throws IOException, InterruptedException {
        TestCerts certs = new TestCerts(dir);
        Files.writeString(dir.resolve("ca.ext"), "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        certs.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "3",
                "-subj", "/CN=warhorse test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        certs.openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "intermediate.key", "-out", "intermediate.csr",
                "-subj", "/CN=warhorse test intermediate");
        certs.sign("intermediate", "ca", "ca.ext", 2);
        certs.openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=alice");
        certs.sign("client", "ca", "client.ext", 3);
        return certs;
    }

    /** An RSA server certificate named {@code name}: NAME.pem (leaf + intermediate), NAME.key (PKCS#8), NAME-rsa.key (PKCS#1). */
    public Path rsaServer(String name, int serial) throws IOException, InterruptedException {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        sign(name, "intermediate", "server.ext", serial);
        openssl("rsa", "-in", name + ".key", "-traditional", "-out", name + "-rsa.key");
        return chain(name);
    }

    /** An EC (P-256) server certificate: NAME.pem (leaf + intermediate), NAME.key in SEC1 form (EC PRIVATE KEY). */
    public Path ecServer(String name, int serial) throws IOException, InterruptedException {
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name + ".key");
        openssl("req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        sign(name, "intermediate", "server.ext", serial);
        return chain(name);
    }

    /** A self-signed RSA certificate that expired yesterday: NAME.pem and NAME.key (PKCS#8). */
    public Path expired(String name) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        var holder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(99), Date.from(now.minus(Duration.ofDays(3))),
                Date.from(now.minus(Duration.ofDays(1))), subject, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
        try (Writer out = Files.newBufferedWriter(dir.resolve(name + ".pem")); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(holder);
        }
        try (Writer out = Files.newBufferedWriter(dir.resolve(name + ".key")); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null));
        }
        return dir.resolve(name + ".pem");
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    private Path chain(String name) throws IOException {
        Path chain = dir.resolve(name + ".pem");
        Files.writeString(chain, Files.readString(dir.resolve(name + ".crt")) + Files.readString(dir.resolve("intermediate.crt")));
        return chain;
    }

    private void sign(String name, String issuer, String extensions, int serial) throws IOException, InterruptedException {
        String issuerCert = issuer.equals("ca") ? "ca.pem" : issuer + ".crt";
        openssl("x509", "-req", "-in", name + ".csr", "-CA", issuerCert, "-CAkey", issuer + ".key", "-set_serial",
                Integer.toString(serial), "-days", "2", "-extfile", extensions, "-out", name + ".crt");
        if (name.equals("client")) {
            Files.copy(dir.resolve("client.crt"), dir.resolve("client.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void openssl(String... arguments) throws IOException, InterruptedException {
        openssl(dir, arguments);
    }

    /** Runs the real openssl command in {@code dir}, bounded to 60 s; throws with its output if it fails. */
    public static void openssl(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("openssl " + arguments[0] + " took over 60 s");
        }
        if (process.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", arguments) + " failed: " + Files.readString(dir.resolve("openssl.log")));
        }
    }
}
