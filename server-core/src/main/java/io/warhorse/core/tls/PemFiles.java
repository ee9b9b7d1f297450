package io.warhorse.core.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Reads PEM files with the JDK alone: certificates, and a private key in any of the three forms servers are given
 * (PKCS#8 "PRIVATE KEY", PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY"). The JDK 25 PEM API is a preview (every
 * JVM would need --enable-preview) and leaves PKCS#1 and SEC1 keys unread, so the blocks are found and decoded here,
 * PKCS#1 and SEC1 keys are wrapped in the PKCS#8 structure the JDK's key factories read ({@link Der}), and the JDK
 * parses the certificates and the key material itself. (Bouncy Castle did this before: its signed jars' 8,000
 * entries and 1.1 MB of manifests were read by every master's and every worker's JVM as it started.) Every failure
 * is a {@link TlsException} naming the file. Any thread.
 */
public final class PemFiles {

    /** A certificate bundle is a few hundred KiB; anything far larger is not a PEM file for a server. */
    private static final long MAX_BYTES = 16 << 20;
    private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
    /** The JDK's key factory for each key algorithm of PKCS#8's AlgorithmIdentifier. */
    private static final Map<String, String> KEY_FACTORIES = Map.of(
            RSA_ENCRYPTION, "RSA",
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            EC_PUBLIC_KEY, "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448",
            "1.2.840.10040.4.1", "DSA");

    /** One PEM block: what its BEGIN line says, whether its headers say it is encrypted, and its decoded contents. */
    private record Block(String label, boolean encrypted, byte[] der) {}

    private PemFiles() {}

    /** Every certificate in {@code file}, in order; at least one. */
    public static List<X509Certificate> certificates(Path file) throws TlsException {
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new TlsException("the JDK reads no X.509 certificate: " + e.getMessage(), e);
        }
        for (Block block : blocks(file)) {
            if (block.label().equals("CERTIFICATE") || block.label().equals("X509 CERTIFICATE")) {
                try {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                } catch (CertificateException | ClassCastException e) {
                    throw new TlsException(file + ": a certificate cannot be decoded: " + e.getMessage(), e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new TlsException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    /** The one private key in {@code file}. */
    public static PrivateKey privateKey(Path file) throws TlsException {
        for (Block block : blocks(file)) {
            switch (block.label()) {
                case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
                    if (block.encrypted()) {
                        throw encrypted(file);
                    }
                    try {
                        return key(file, block);
                    } catch (IllegalArgumentException e) {
                        throw new TlsException(file + ": the private key cannot be decoded: " + e.getMessage(), e);
                    }
                }
                case "ENCRYPTED PRIVATE KEY" -> throw encrypted(file);
                default -> { } // certificates, EC PARAMETERS: skipped
            }
        }
        throw new TlsException(file + " holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static PrivateKey key(Path file, Block block) throws TlsException {
        byte[] pkcs8 = switch (block.label()) {
            case "RSA PRIVATE KEY" -> pkcs8(Der.element(Der.SEQUENCE, Der.oid(RSA_ENCRYPTION), Der.element(Der.NULL)), block.der());
            case "EC PRIVATE KEY" -> pkcs8(Der.element(Der.SEQUENCE, Der.oid(EC_PUBLIC_KEY), curve(file, block.der())), block.der());
            default -> block.der();
        };
        // PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm SEQUENCE { algorithm OID, ... }, ... }
        Der info = Der.of(pkcs8).read(Der.SEQUENCE);
        info.read(Der.INTEGER);
        String algorithm = info.read(Der.SEQUENCE).read(Der.OID).oid();
        String factory = KEY_FACTORIES.get(algorithm);
        if (factory == null) {
            throw new TlsException(file + ": a private key of an algorithm the JDK's TLS cannot use (OID " + algorithm
                    + "); give an RSA, EC, EdDSA or DSA key");
        }
        try {
            return KeyFactory.getInstance(factory).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new TlsException(file + ": the private key cannot be decoded: " + e.getMessage(), e);
        }
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, algorithm, privateKey OCTET STRING }. */
    private static byte[] pkcs8(byte[] algorithm, byte[] privateKey) {
        return Der.element(Der.SEQUENCE, Der.element(Der.INTEGER, new byte[] {0}), algorithm, Der.element(Der.OCTET_STRING, privateKey));
    }

    /**
     * The named curve of a SEC1 key, as an OID element: ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET
     * STRING, parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }.
     */
    private static byte[] curve(Path file, byte[] sec1) throws TlsException {
        Der key = Der.of(sec1).read(Der.SEQUENCE);
        key.read(Der.INTEGER);
        key.read(Der.OCTET_STRING);
        if (key.peekTag() != Der.CONTEXT_0) {
            throw new TlsException(file + ": the EC private key names no curve; give it with its parameters "
                    + "(openssl ec -in KEY -out KEY.sec1) or as PKCS#8 (openssl pkey -in KEY -out KEY.pkcs8)");
        }
        Der parameters = key.read(Der.CONTEXT_0);
        if (parameters.peekTag() != Der.OID) {
            throw new TlsException(file + ": the EC private key has explicit curve parameters, not a named curve; "
                    + "give it with a named curve (openssl ec -in KEY -param_enc named_curve -out KEY.named)");
        }
        return parameters.readElement(Der.OID);
    }

    private static TlsException encrypted(Path file) {
        return new TlsException(file + " holds an encrypted private key; give it unencrypted "
                + "(openssl pkey -in KEY -out KEY.plain) and readable only by warhorse's user");
    }

    /** The PEM blocks of {@code file} in order; text outside them (openssl's "Bag Attributes", comments) is skipped. */
    private static List<Block> blocks(Path file) throws TlsException {
        List<String> lines;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new TlsException("cannot read " + file + ": " + Files.size(file) + " bytes is no PEM file for a server");
            }
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new TlsException("cannot read " + file + ": no such file", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new TlsException("cannot read " + file + ": permission denied", e);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new TlsException("cannot read " + file + ": not a PEM file (bytes that are not ASCII text)", e);
        } catch (IOException | RuntimeException e) {
            throw new TlsException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Block> blocks = new ArrayList<>();
        String label = null;
        boolean encrypted = false;
        StringBuilder base64 = new StringBuilder();
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1).strip();
            if (label == null) {
                if (line.startsWith("-----BEGIN ") && line.endsWith("-----") && line.length() > 16) {
                    label = line.substring(11, line.length() - 5);
                    encrypted = false;
                    base64.setLength(0);
                }
            } else if (line.equals("-----END " + label + "-----")) {
                try {
                    blocks.add(new Block(label, encrypted, Base64.getMimeDecoder().decode(base64.toString())));
                } catch (IllegalArgumentException e) {
                    throw new TlsException("cannot read " + file + ": the " + label + " ending on line " + number
                            + " is not valid base64: " + e.getMessage(), e);
                }
                label = null;
            } else if (line.startsWith("-----")) {
                throw new TlsException("cannot read " + file + ": line " + number + " (" + line + ") inside a "
                        + label + " that has no END line");
            } else if (line.indexOf(':') >= 0) { // RFC 1421 headers: Proc-Type: 4,ENCRYPTED, DEK-Info: ...
                encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
            } else {
                base64.append(line);
            }
        }
        if (label != null) {
            throw new TlsException("cannot read " + file + ": the " + label + " has no END line");
        }
        return blocks;
    }
}
