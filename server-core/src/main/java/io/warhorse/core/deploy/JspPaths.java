package io.warhorse.core.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jboss.metadata.web.spec.JspConfigMetaData;
import org.jboss.metadata.web.spec.JspPropertyGroupMetaData;
import org.jboss.metadata.web.spec.WebMetaData;

/**
 * The request paths that name JSP source: {@code *.jsp}, {@code *.jspx} and every url-pattern of a
 * {@code <jsp-property-group>}, matched as servlet url-patterns are ({@code /exact}, {@code /prefix/*},
 * {@code *.ext}). The JSP servlet is mapped to them, and the static file servlet refuses them, so a page's source is
 * never sent as a file, whether a JSP engine is present or not. Immutable; any thread.
 */
final class JspPaths {

    static final List<String> DEFAULT_PATTERNS = List.of("*.jsp", "*.jspx");

    private final List<String> patterns;

    private JspPaths(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    static JspPaths of(WebMetaData web) {
        Set<String> patterns = new LinkedHashSet<>(DEFAULT_PATTERNS);
        JspConfigMetaData config = web.getJspConfig();
        if (config != null && config.getPropertyGroups() != null) {
            for (JspPropertyGroupMetaData group : config.getPropertyGroups()) {
                if (group.getUrlPatterns() != null) {
                    group.getUrlPatterns().forEach(pattern -> patterns.add(pattern.trim()));
                }
            }
        }
        return new JspPaths(new ArrayList<>(patterns));
    }

    /** Parses what {@link #toString()} wrote (an init parameter of the static file servlet). */
    static JspPaths parse(String text) {
        List<String> patterns = new ArrayList<>(DEFAULT_PATTERNS);
        if (text != null) {
            for (String pattern : text.split("\n")) {
                if (!pattern.isBlank() && !patterns.contains(pattern.trim())) {
                    patterns.add(pattern.trim());
                }
            }
        }
        return new JspPaths(patterns);
    }

    List<String> patterns() {
        return patterns;
    }

    /**
     * True if {@code path} (context-relative) names JSP source. Trailing slashes and dots are ignored and the
     * extension is compared without case, so {@code /page.jsp/} or {@code /page.JSP} cannot slip past the JSP
     * servlet's mapping into the static file servlet.
     */
    boolean matches(String path) {
        String normal = normalise(path);
        for (String pattern : patterns) {
            if (matches(pattern, normal)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String pattern, String path) {
        if (pattern.startsWith("*.")) {
            return path.toLowerCase(Locale.ROOT).endsWith(pattern.substring(1).toLowerCase(Locale.ROOT));
        }
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            return path.equals(prefix) || path.startsWith(prefix + "/");
        }
        return path.equals(pattern);
    }

    private static String normalise(String path) {
        String normal = path == null ? "" : path;
        int end = normal.length();
        while (end > 1 && (normal.charAt(end - 1) == '/' || normal.charAt(end - 1) == '.'
                || Character.isWhitespace(normal.charAt(end - 1)))) {
            end--;
        }
        return normal.substring(0, end);
    }

    @Override
    public String toString() {
        return String.join("\n", patterns);
    }
}
