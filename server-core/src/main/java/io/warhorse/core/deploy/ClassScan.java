package io.warhorse.core.deploy;

import jakarta.servlet.Servlet;
import java.lang.annotation.Inherited;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One read of an app's class files ({@link ClassPathReader}), shared by the annotation and {@code @HandlesTypes}
 * lookups. Class files are parsed, never loaded: a WAR may hold classes that reference what it does not bundle, and
 * loading them would fail or run static initialisers before the app starts. The container's Servlet API jar is read
 * too, so that {@code HttpServlet} counts as a {@code Servlet} and the app's servlets are seen as such through it;
 * its classes are never found by {@link #annotatedWith}, but {@link #handledBy} names them as it names the app's
 * (an initializer asking for {@code Servlet} gets {@code GenericServlet} and {@code HttpServlet} too).
 * Walks of the hierarchy keep a visited set, so a forged cycle ends. Immutable once made; made and asked on the
 * deploying thread, and dropped before the app starts.
 */
final class ClassScan {

    private final Map<String, ScannedClass> classes;
    private final Set<Path> annotated;
    /**
     * Classes by the name of their superclass and by the names of the interfaces they name, and annotation types by
     * the names of the annotations they carry: the hierarchy, walked downwards.
     */
    private final Map<String, List<ScannedClass>> subclasses = new HashMap<>();
    private final Map<String, List<ScannedClass>> implementations = new HashMap<>();
    private final Map<String, List<ScannedClass>> annotatedAnnotations = new HashMap<>();

    private ClassScan(Map<String, ScannedClass> classes, Set<Path> annotated) {
        this.classes = classes;
        this.annotated = annotated;
        for (ScannedClass type : classes.values()) {
            if (type.superName() != null) {
                subclasses.computeIfAbsent(type.superName(), name -> new ArrayList<>()).add(type);
            }
            for (String name : type.interfaces()) {
                implementations.computeIfAbsent(name, key -> new ArrayList<>()).add(type);
            }
            if (type.kind() == ScannedClass.Kind.ANNOTATION) {
                for (String name : type.annotations().keySet()) {
                    annotatedAnnotations.computeIfAbsent(name, key -> new ArrayList<>()).add(type);
                }
            }
        }
    }

    /**
     * @param app       how log lines name the app ("app /shop (shop.war)")
     * @param all       every class path entry of the app, in class loading order
     * @param annotated the entries whose {@code @WebServlet}-style annotations count (not metadata-complete)
     */
    static ClassScan of(String app, List<Path> all, List<Path> annotated) throws DeploymentException {
        List<Path> path = new ArrayList<>(all);
        Path api = servletApiJar();
        if (api != null) {
            path.add(api);
        }
        return new ClassScan(ClassPathReader.read(app, path),
                annotated.stream().map(entry -> entry.toAbsolutePath().normalize()).collect(Collectors.toSet()));
    }

    /**
     * The classes of the entries whose annotations count that carry {@code annotation} on the class itself, by name
     * (the order in which their servlets and filters are declared).
     */
    List<ScannedClass> annotatedWith(Class<?> annotation) {
        return classes.values().stream().filter(type -> type.has(annotation) && annotated.contains(type.source()))
                .sorted(Comparator.comparing(ScannedClass::name)).toList();
    }

    /** The class named {@code name} (binary name), if it was read. */
    ScannedClass find(String name) {
        return classes.get(name);
    }

    /**
     * Class names matching {@code type} for {@code @HandlesTypes}, sorted. For an interface: every class, abstract
     * class and interface that implements or extends it, directly or not. For a class: its subclasses, directly or
     * not. For an annotation: the classes that carry it, or an annotation type carrying it (a meta-annotation), on
     * the class (and their subclasses, if it is {@link Inherited}) or on a method, constructor or field of any
     * visibility (and, if one of those is not private, their subclasses, which inherit it).
     */
    Set<String> handledBy(Class<?> type) {
        String name = type.getName();
        Set<String> found = new TreeSet<>();
        if (type.isAnnotation()) {
            Set<String> annotations = withMetaAnnotated(name);
            Set<String> onClass = new HashSet<>();
            Set<String> inheritedMember = new HashSet<>();
            for (ScannedClass scanned : classes.values()) {
                if (carriesAny(scanned.annotations().keySet(), annotations)) {
                    onClass.add(scanned.name());
                }
                if (carriesAny(scanned.memberAnnotations(), annotations)) {
                    found.add(scanned.name());
                }
                if (carriesAny(scanned.inheritedMemberAnnotations(), annotations)) {
                    inheritedMember.add(scanned.name());
                }
            }
            found.addAll(onClass);
            if (type.isAnnotationPresent(Inherited.class)) {
                found.addAll(below(onClass, false));
            }
            found.addAll(below(inheritedMember, false));
        } else if (type.isInterface()) {
            found.addAll(below(Set.of(name), true));
        } else if (name.equals(Object.class.getName())) {
            // Every class, also one whose superclass (from the JDK, say) was not read.
            classes.values().stream().filter(scanned -> scanned.kind() == ScannedClass.Kind.CLASS)
                    .forEach(scanned -> found.add(scanned.name()));
        } else {
            below(Set.of(name), false).stream().filter(scanned -> classes.get(scanned).kind() == ScannedClass.Kind.CLASS)
                    .forEach(found::add);
        }
        return found;
    }

    /** {@code annotation} and the annotation types that carry it or carry one of those, and so on. */
    private Set<String> withMetaAnnotated(String annotation) {
        Set<String> all = new HashSet<>(Set.of(annotation));
        Deque<String> next = new ArrayDeque<>(all);
        while (!next.isEmpty()) {
            for (ScannedClass meta : annotatedAnnotations.getOrDefault(next.poll(), List.of())) {
                if (all.add(meta.name())) {
                    next.add(meta.name());
                }
            }
        }
        return all;
    }

    /**
     * The classes under {@code roots} in the hierarchy: their subclasses, and with {@code throughInterfaces} the
     * types naming them as interfaces too, transitively; never a root itself.
     */
    private Set<String> below(Set<String> roots, boolean throughInterfaces) {
        Set<String> seen = new HashSet<>(roots);
        Set<String> found = new HashSet<>();
        Deque<String> next = new ArrayDeque<>(roots);
        while (!next.isEmpty()) {
            String name = next.poll();
            visit(subclasses.getOrDefault(name, List.of()), seen, found, next);
            if (throughInterfaces) {
                visit(implementations.getOrDefault(name, List.of()), seen, found, next);
            }
        }
        return found;
    }

    private static void visit(List<ScannedClass> children, Set<String> seen, Set<String> found, Deque<String> next) {
        for (ScannedClass child : children) {
            if (seen.add(child.name())) {
                found.add(child.name());
                next.add(child.name());
            }
        }
    }

    private static boolean carriesAny(Collection<String> carried, Set<String> wanted) {
        for (String name : carried) {
            if (wanted.contains(name)) {
                return true;
            }
        }
        return false;
    }

    private static Path servletApiJar() {
        CodeSource source = Servlet.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            return null;
        }
    }
}
