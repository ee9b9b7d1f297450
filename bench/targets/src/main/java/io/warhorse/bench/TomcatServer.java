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
        base.deleteOnExit();
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        if (virtual && !connector.setProperty("useVirtualThreads", "true")) {
            throw new IllegalStateException("this Tomcat's connector has no useVirtualThreads property");
        }
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
