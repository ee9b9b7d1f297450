package io.warhorse.core.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One per app: WEB-INF/classes, then the jars of WEB-INF/lib in name order, searched before the container, so an app
 * keeps the library versions it was tested with. The exceptions come from the container, always: the JDK (anything a
 * boot-layer module holds, so {@code javax.sql} or {@code org.w3c.dom} too), the Servlet API (a WAR that bundles
 * its own servlet-api jar would otherwise get classes that are not the container's {@code jakarta.servlet.Servlet}),
 * and the container's own packages, whose objects the app is handed. Only when the container lacks such a class
 * (an API jar in WEB-INF/lib under {@code jakarta.servlet}) does the app's copy count.
 */
public final class WebAppClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private static final List<String> CONTAINER_PREFIXES = List.of(
            "java.", "jdk.", "sun.", "com.sun.", "jakarta.servlet.", "jakarta.el.",
            "io.warhorse.core.", "io.warhorse.worker.", "io.undertow.", "org.xnio.", "org.jboss.logging.",
            "org.apache.jasper.", "org.apache.el.", "org.apache.tomcat.", "org.apache.juli.", "org.eclipse.jdt.");
    private static final Set<String> JDK_PACKAGES = ModuleLayer.boot().modules().stream()
            .flatMap(module -> module.getPackages().stream()).collect(Collectors.toUnmodifiableSet());

    /** Undertow loads this name for {@code ServletContext.addJspFile}: it gets {@link JspFileServlet}. */
    static final String JSP_SERVLET = "org.apache.jasper.servlet.JspServlet";

    private WebAppClassLoader(String name, URL[] urls, ClassLoader parent) {
        super(name, urls, parent);
    }

    /** A loader over {@code webRoot}'s WEB-INF/classes and WEB-INF/lib/*.jar, delegating to {@code parent} last. */
    public static WebAppClassLoader create(String name, Path webRoot, ClassLoader parent) throws IOException {
        List<URL> urls = new ArrayList<>();
        Path classes = webRoot.resolve("WEB-INF/classes");
        if (Files.isDirectory(classes)) {
            urls.add(url(classes));
        }
        for (Path jar : libraryJars(webRoot)) {
            urls.add(url(jar));
        }
        return new WebAppClassLoader(name, urls.toArray(URL[]::new), parent);
    }

    /** The jars of WEB-INF/lib, sorted by name so the search order does not depend on the file system. */
    static List<Path> libraryJars(Path webRoot) throws IOException {
        Path lib = webRoot.resolve("WEB-INF/lib");
        if (!Files.isDirectory(lib)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .sorted().toList();
        }
    }

    /** True for names the container must provide, whatever the app bundles. */
    static boolean isContainerClass(String className) {
        for (String prefix : CONTAINER_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        int dot = className.lastIndexOf('.');
        return dot > 0 && JDK_PACKAGES.contains(className.substring(0, dot));
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = name.equals(JSP_SERVLET) ? JspFileServlet.class : findLoadedClass(name);
            if (loaded == null) {
                loaded = isContainerClass(name) ? containerFirst(name) : childFirst(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    /** The container's class, or the app's own copy of an API the container lacks (a bundled JSTL API jar). */
    private Class<?> containerFirst(String name) throws ClassNotFoundException {
        try {
            return getParent().loadClass(name);
        } catch (ClassNotFoundException notInContainer) {
            if (name.startsWith("java.")) {
                throw notInContainer;
            }
            return findClass(name);
        }
    }

    private Class<?> childFirst(String name) throws ClassNotFoundException {
        try {
            return findClass(name);
        } catch (ClassNotFoundException notInApp) {
            return getParent().loadClass(name);
        }
    }

    @Override
    public URL getResource(String name) {
        if (isContainerClass(resourceAsClassName(name))) {
            URL container = getParent().getResource(name);
            return container != null ? container : findResource(name);
        }
        URL own = findResource(name);
        return own != null ? own : getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> own = Collections.list(findResources(name));
        List<URL> all = new ArrayList<>(Collections.list(getParent().getResources(name)));
        all.addAll(isContainerClass(resourceAsClassName(name)) ? all.size() : 0, own);
        return Collections.enumeration(all);
    }

    private static String resourceAsClassName(String resource) {
        String path = resource.startsWith("/") ? resource.substring(1) : resource;
        return path.replace('/', '.');
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }
}
