package io.warhorse.core.deploy;

import io.undertow.servlet.api.ServletContainerInitializerInfo;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.annotation.HandlesTypes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the app's {@link ServletContainerInitializer}s the way the spec says: {@code META-INF/services} seen through
 * the app's class loader (so both WEB-INF/lib jars and the container's own), each handed the app classes its
 * {@link HandlesTypes} asks for. Those classes are found in class files ({@link ClassScan}) and only then loaded,
 * without initialising them; one that cannot be loaded (it needs a class the WAR lacks) is left out, as a
 * container that never loaded it would.
 */
final class InitializerScanner {

    private static final Logger LOG = LoggerFactory.getLogger(InitializerScanner.class);

    private InitializerScanner() {}

    static List<ServletContainerInitializerInfo> find(ClassLoader loader, ClassScan scan) {
        List<ServletContainerInitializerInfo> found = new ArrayList<>();
        Set<Class<?>> seen = new LinkedHashSet<>();
        for (var provider : ServiceLoader.load(ServletContainerInitializer.class, loader).stream().toList()) {
            Class<? extends ServletContainerInitializer> type = provider.type();
            if (seen.add(type)) {
                found.add(new ServletContainerInitializerInfo(type, handledClasses(type, loader, scan)));
            }
        }
        return found;
    }

    /** The classes for {@code onStartup}, or null when there are none, as the spec asks. */
    private static Set<Class<?>> handledClasses(Class<?> initializer, ClassLoader loader, ClassScan scan) {
        HandlesTypes handles = initializer.getAnnotation(HandlesTypes.class);
        if (handles == null) {
            return null;
        }
        Class<?>[] types;
        try {
            types = handles.value();
        } catch (TypeNotPresentException e) {
            LOG.warn("{} asks for classes of a type that is not on the class path ({}); it gets none",
                    initializer.getName(), e.typeName());
            return null;
        }
        Set<Class<?>> classes = new LinkedHashSet<>();
        for (Class<?> type : types) {
            for (String name : scan.handledBy(type)) {
                load(name, loader, initializer, classes);
            }
        }
        return classes.isEmpty() ? null : classes;
    }

    private static void load(String name, ClassLoader loader, Class<?> initializer, Set<Class<?>> into) {
        try {
            into.add(Class.forName(name, false, loader));
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.debug("{} is not passed to {}: {}", name, initializer.getName(), e.toString());
        }
    }
}
