package io.warhorse.core.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jboss.metadata.web.spec.JspConfigMetaData;
import org.jboss.metadata.web.spec.ServletMetaData;
import org.jboss.metadata.web.spec.WebMetaData;

/**
 * Whether an app has anything for a JSP engine: a page ({@code .jsp}, {@code .jspx}), a tag file ({@code .tag},
 * {@code .tagx}) or a tag library descriptor ({@code .tld}, whose listeners the engine registers), in the app's
 * folder or under {@code META-INF} of its jars (their {@code META-INF/resources} is part of the app's content), or
 * a {@code <jsp-file>} servlet or a {@code <jsp-config>} in its descriptors. An app with none gets no JSP engine:
 * starting Jasper (reading the container's JSTL tag libraries, among others) is the largest part of deploying a
 * small app, and a page it does not have cannot be compiled anyway. Its JSP paths still never reach the static file
 * servlet ({@link JspPaths}). Runs on the deploying thread.
 */
final class JspContent {

    private static final List<String> EXTENSIONS = List.of(".jsp", ".jspx", ".tag", ".tagx", ".tld");

    private JspContent() {}

    static boolean present(Path webRoot, List<Path> jars, WebMetaData web) {
        return inDescriptors(web) || inFolder(webRoot) || jars.stream().anyMatch(JspContent::inJar);
    }

    private static boolean inDescriptors(WebMetaData web) {
        JspConfigMetaData config = web.getJspConfig();
        if (config != null && ((config.getPropertyGroups() != null && !config.getPropertyGroups().isEmpty())
                || (config.getTaglibs() != null && !config.getTaglibs().isEmpty()))) {
            return true;
        }
        return web.getServlets() != null && web.getServlets().stream().map(ServletMetaData::getJspFile)
                .anyMatch(file -> file != null && !file.isBlank());
    }

    private static boolean inFolder(Path webRoot) {
        Path lib = webRoot.resolve("WEB-INF/lib");
        try (Stream<Path> files = Files.walk(webRoot)) {
            return files.filter(file -> !file.startsWith(lib))
                    .anyMatch(file -> named(file.getFileName() == null ? "" : file.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("listing the files of " + webRoot + " failed", e);
        }
    }

    /** Only the jar's directory is read; an unreadable jar counts as having JSP content (the engine will say why). */
    private static boolean inJar(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(ZipEntry::getName).anyMatch(name -> name.startsWith("META-INF/") && named(name));
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean named(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(lower::endsWith);
    }
}
