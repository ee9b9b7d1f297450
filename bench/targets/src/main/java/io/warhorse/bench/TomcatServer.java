package io.warhorse.bench;

import java.io.File;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * Baselines "tomcat-platform" and "tomcat-virtual": the same servlets on embedded Tomcat 11 (NIO connector,
 * default settings: maxThreads 200, acceptCount 100, maxConnections 8192), with platform threads or with the
 * connector's {@code useVirtualThreads}. Usage: {@code PORT platform|virtual}.
 */
public final class TomcatServer {
    private TomcatServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Work.port(args);
        boolean virtual = args.length > 1 && args[1].equals("virtual");
        Tomcat tomcat = new Tomcat();
        File base = Files.createTempDirectory("bench-tomcat").toFile();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(base))); // the harness stops it with TERM
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        if (virtual && !connector.setProperty("useVirtualThreads", "true")) {
            throw new IllegalStateException("this Tomcat's connector has no useVirtualThreads property");
        }
        tls(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.getAbsolutePath());
        for (Servlets.Mapping mapping : Servlets.PATHS) {
            String name = mapping.type().getSimpleName();
            Wrapper wrapper = Tomcat.addServlet(context, name, Servlets.instantiate(mapping.type()));
            wrapper.setAsyncSupported(mapping.async());
            context.addServletMappingDecoded(mapping.path(), name);
        }
        start(tomcat);
    }

    /** Removes Tomcat's base directory (its work/ tree) as the JVM exits; what cannot be removed stays. */
    private static void delete(File base) {
        try (var tree = Files.walk(base.toPath())) {
            tree.sorted(java.util.Comparator.reverseOrder()).map(java.nio.file.Path::toFile).forEach(File::delete);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // a bench run's leftover in /tmp, not worth failing the exit for
        }
    }

    /**
     * With BENCH_TLS_CERT and BENCH_TLS_KEY (PEM files): TLS 1.2/1.3 on the connector, and h2 by ALPN (bench/tls.sh).
     */
    private static void tls(Connector connector) {
        String cert = System.getenv("BENCH_TLS_CERT");
        String key = System.getenv("BENCH_TLS_KEY");
        if (cert == null || key == null) {
            return;
        }
        connector.setSecure(true);
        connector.setScheme("https");
        connector.setProperty("SSLEnabled", "true");
        org.apache.tomcat.util.net.SSLHostConfig host = new org.apache.tomcat.util.net.SSLHostConfig();
        host.setProtocols("TLSv1.2+TLSv1.3");
        org.apache.tomcat.util.net.SSLHostConfigCertificate certificate = new org.apache.tomcat.util.net.SSLHostConfigCertificate(
                host, org.apache.tomcat.util.net.SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setCertificateFile(cert);
        certificate.setCertificateKeyFile(key);
        host.addCertificate(certificate);
        connector.addSslHostConfig(host);
        connector.addUpgradeProtocol(new org.apache.coyote.http2.Http2Protocol());
    }

    private static void start(Tomcat tomcat) throws LifecycleException {
        tomcat.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (LifecycleException e) {
                System.err.println("tomcat: stop: " + e);
            }
        }));
        tomcat.getServer().await();
    }
}
