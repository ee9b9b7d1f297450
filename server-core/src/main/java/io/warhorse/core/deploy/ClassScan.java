package io.warhorse.core.deploy;

import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import io.warhorse.core.Threads;
import jakarta.servlet.Servlet;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * One read of an app's class files with ClassGraph, shared by the annotation and {@code @HandlesTypes} lookups.
 * Class files are parsed, never loaded: a WAR may hold classes that reference what it does not bundle, and loading
 * them would fail or run static initialisers before the app starts. The container's Servlet API jar is read too, so
 * that {@code HttpServlet} counts as a {@code Servlet} and the app's servlets are seen as such through it.
 */
final class ClassScan implements AutoCloseable {

    /** Enough for a few jars; deployment happens before serving, on machines that may have two cores. */
    private static final int SCAN_THREADS = 2;

    private final ScanResult result;
    private final Set<File> annotated;

    private ClassScan(ScanResult result, Set<File> annotated) {
        this.result = result;
        this.annotated = annotated;
    }

    /**
     * @param all       every class path entry of the app
     * @param annotated the entries whose {@code @WebServlet}-style annotations count (not metadata-complete)
     */
    static ClassScan of(List<Path> all, List<Path> annotated) {
        List<Object> path = new ArrayList<>(all.stream().map(Path::toFile).toList());
        File api = servletApiJar();
        if (api != null) {
            path.add(api);
        }
        ClassGraph graph = new ClassGraph().overrideClasspath(path).enableClassInfo().enableAnnotationInfo()
                .enableMethodInfo().enableFieldInfo().ignoreClassVisibility().disableNestedJarScanning();
        ExecutorService pool = Executors.newFixedThreadPool(SCAN_THREADS, Threads.create().platform("deploy-scan", true));
        ScanResult result;
        try {
            result = graph.scan(pool, SCAN_THREADS);
        } finally {
            pool.shutdown();
        }
        return new ClassScan(result, annotated.stream().map(p -> p.toAbsolutePath().toFile()).collect(Collectors.toSet()));
    }

    /** Classes annotated with {@code annotation} in the entries whose annotations count. */
    List<ClassInfo> annotatedWith(Class<?> annotation) {
        return result.getClassesWithAnnotation(annotation.getName()).stream()
                .filter(info -> annotated.contains(info.getClasspathElementFile().getAbsoluteFile())).toList();
    }

    /** The class named {@code name}, if it was read. */
    ClassInfo find(String name) {
        return result.getClassInfo(name);
    }

    /**
     * Class names matching {@code type} for {@code @HandlesTypes}: its subclasses or implementations, or for an
     * annotation, the classes that carry it on the class, a method or a field.
     */
    Set<String> handledBy(Class<?> type) {
        String name = type.getName();
        List<ClassInfo> found = new ArrayList<>();
        if (type.isAnnotation()) {
            found.addAll(result.getClassesWithAnnotation(name));
            found.addAll(result.getClassesWithMethodAnnotation(name));
            found.addAll(result.getClassesWithFieldAnnotation(name));
        } else if (type.isInterface()) {
            found.addAll(result.getClassesImplementing(name));
        } else {
            found.addAll(result.getSubclasses(name));
        }
        return found.stream().map(ClassInfo::getName).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    @Override
    public void close() {
        result.close();
    }

    private static File servletApiJar() {
        CodeSource source = Servlet.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            return new File(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
