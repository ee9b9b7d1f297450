package io.warhorse.core.tls;

import io.warhorse.core.config.Settings;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The server's TLS from {@code warhorse.tls}: its PEM chain and key, checked (the certificate is valid now, the key
 * is the certificate's), and the CAs client certificates are checked against, as a JDK {@link SSLContext}. Built
 * once per worker at start (so a HUP, which starts new workers, reads the files again) and by every load of the
 * settings, which is how a bad file stops a start and refuses a reload. Any thread.
 */
public final class ServerTls {

    private final SSLContext context;
    private final X509Certificate certificate;

    private ServerTls(SSLContext context, X509Certificate certificate) {
        this.context = context;
        this.certificate = certificate;
    }

    public static ServerTls load(Settings.Tls settings) throws TlsException {
        List<X509Certificate> chain = PemFiles.certificates(settings.certfile());
        PrivateKey key = PemFiles.privateKey(settings.keyfile());
        X509Certificate leaf = chain.getFirst();
        checkValidNow(leaf, settings);
        checkKeyMatches(leaf, key, settings);
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", key, new char[0], chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers(settings), null);
            return new ServerTls(context, leaf);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsException("cannot build TLS from " + settings.certfile() + " and " + settings.keyfile() + ": " + e.getMessage(), e);
        }
    }

    public SSLContext context() {
        return context;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The cipher suites to enable: the configured TLS 1.2 ones plus the JDK's TLS 1.3 ones; null keeps the JDK's. */
    public String[] cipherSuites(List<String> configured) {
        if (configured.isEmpty()) {
            return null;
        }
        SSLEngine engine = context.createSSLEngine();
        List<String> suites = new ArrayList<>();
        for (String suite : engine.getEnabledCipherSuites()) {
            if (suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")) {
                suites.add(suite);
            }
        }
        List<String> supported = List.of(engine.getSupportedCipherSuites());
        configured.stream().filter(supported::contains).forEach(suites::add);
        return suites.toArray(String[]::new);
    }

    private static TrustManager[] trustManagers(Settings.Tls settings) throws TlsException, GeneralSecurityException, java.io.IOException {
        if (settings.caCerts() == null) {
            return null;
        }
        KeyStore cas = KeyStore.getInstance("PKCS12");
        cas.load(null, null);
        int i = 0;
        for (X509Certificate ca : PemFiles.certificates(settings.caCerts())) {
            cas.setCertificateEntry("ca-" + i++, ca);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(cas);
        return factory.getTrustManagers();
    }

    private static void checkValidNow(X509Certificate leaf, Settings.Tls settings) throws TlsException {
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new TlsException("the certificate in " + settings.certfile() + " (" + leaf.getSubjectX500Principal().getName()
                    + ") expired on " + leaf.getNotAfter().toInstant() + "; renew it");
        } catch (CertificateNotYetValidException e) {
            throw new TlsException("the certificate in " + settings.certfile() + " (" + leaf.getSubjectX500Principal().getName()
                    + ") is not valid before " + leaf.getNotBefore().toInstant() + "; check the clock or the certificate");
        }
    }

    /** Signs a few bytes with the key and verifies them with the certificate: works for RSA, EC and EdDSA alike. */
    private static void checkKeyMatches(X509Certificate leaf, PrivateKey key, Settings.Tls settings) throws TlsException {
        PublicKey publicKey = leaf.getPublicKey();
        if (!publicKey.getAlgorithm().equals(key.getAlgorithm())) {
            throw mismatch(settings, key.getAlgorithm() + " key, " + publicKey.getAlgorithm() + " certificate");
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] probe = "warhorse".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                signer.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            signer.initVerify(publicKey);
            signer.update(probe);
            if (!signer.verify(signature)) {
                throw mismatch(settings, "different key pairs");
            }
        } catch (GeneralSecurityException e) {
            throw mismatch(settings, e.getMessage());
        }
    }

    private static TlsException mismatch(Settings.Tls settings, String detail) {
        return new TlsException("the private key in " + settings.keyfile() + " does not match the certificate in "
                + settings.certfile() + " (" + detail + ")");
    }
}
