package io.warhorse.core.config;

import java.nio.file.Path;

/**
 * One app to deploy, as written on the command line or in {@code warhorse.apps}: {@code PATH} or {@code PATH=/context}.
 * Without a context, the file name without {@code .war} is used, and {@code ROOT} maps to {@code /}.
 *
 * @param source      a {@code .war} file or an exploded WAR folder
 * @param contextPath {@code /} or a path starting with {@code /} and not ending with one
 */
public record AppSpec(Path source, String contextPath) {

    public AppSpec {
        if (!contextPath.startsWith("/") || (contextPath.length() > 1 && contextPath.endsWith("/"))) {
            throw new IllegalArgumentException("context path '" + contextPath + "' must start with '/' and not end with one");
        }
    }

    /** Parses {@code PATH} or {@code PATH=/context}. */
    public static AppSpec parse(String text) {
        int eq = text.lastIndexOf('=');
        if (eq > 0) {
            String context = text.substring(eq + 1);
            return new AppSpec(Path.of(text.substring(0, eq)), context.startsWith("/") ? context : "/" + context);
        }
        Path source = Path.of(text);
        return new AppSpec(source, defaultContext(source));
    }

    /**
     * Parses {@code PATH} or {@code PATH=/context} with a relative {@code PATH} resolved against {@code base}
     * (the folder of the config file that names it, or the working directory for the command line).
     */
    public static AppSpec parse(String text, Path base) {
        int eq = text.lastIndexOf('=');
        Path source = base.resolve(eq > 0 ? text.substring(0, eq) : text).toAbsolutePath().normalize();
        if (eq > 0) {
            String context = text.substring(eq + 1);
            return new AppSpec(source, context.startsWith("/") ? context : "/" + context);
        }
        return new AppSpec(source, defaultContext(source));
    }

    static String defaultContext(Path source) {
        Path fileName = source.toAbsolutePath().normalize().getFileName();
        String name = fileName == null ? "ROOT" : fileName.toString();
        if (name.endsWith(".war")) {
            name = name.substring(0, name.length() - 4);
        }
        return name.equals("ROOT") ? "/" : "/" + name;
    }

    @Override
    public String toString() {
        return source + "=" + contextPath;
    }
}
