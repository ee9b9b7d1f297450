package io.warhorse.core.deploy;

import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.tomcat.Jar;
import org.apache.tomcat.JarScanFilter;
import org.apache.tomcat.JarScanType;
import org.apache.tomcat.JarScanner;
import org.apache.tomcat.JarScannerCallback;
import org.apache.tomcat.util.scan.JarFactory;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * Where Jasper looks for tag libraries: the app's WEB-INF/lib and WEB-INF/classes, plus the container jars that
 * ship TLDs apps expect from a servlet container (JSTL). Jasper's default scanner would open every jar of the
 * container's class path for every app; this keeps an app's start-up to its own jars. Used on the deploying thread.
 */
final class AppJarScanner implements JarScanner {

    /** The TLD every JSTL implementation ships; its jar is the one container jar worth scanning. */
    private static final String JSTL_CORE_TLD = "META-INF/c.tld";
    private static final List<URL> CONTAINER_TLD_JARS = containerTldJars();

    private final StandardJarScanner app = new StandardJarScanner();

    AppJarScanner() {
        app.setScanClassPath(false);
        app.setScanManifest(false);
    }

    @Override
    public void scan(JarScanType type, ServletContext context, JarScannerCallback callback) {
        app.scan(type, context, callback);
        if (type != JarScanType.TLD) {
            return;
        }
        for (URL url : CONTAINER_TLD_JARS) {
            try (Jar jar = JarFactory.newInstance(url)) {
                callback.scan(jar, null, false);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the tag libraries of " + url + " failed", e);
            }
        }
    }

    @Override
    public JarScanFilter getJarScanFilter() {
        return app.getJarScanFilter();
    }

    @Override
    public void setJarScanFilter(JarScanFilter filter) {
        app.setJarScanFilter(filter);
    }

    private static List<URL> containerTldJars() {
        List<URL> jars = new ArrayList<>();
        try {
            for (URL tld : Collections.list(AppJarScanner.class.getClassLoader().getResources(JSTL_CORE_TLD))) {
                if (tld.openConnection() instanceof JarURLConnection connection) {
                    jars.add(connection.getJarFileURL());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("finding the container's tag libraries failed", e);
        }
        return List.copyOf(jars);
    }
}
