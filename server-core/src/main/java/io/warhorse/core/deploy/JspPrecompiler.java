package io.warhorse.core.deploy;

import io.warhorse.core.config.Settings;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.jasper.EmbeddedServletOptions;
import org.apache.jasper.JasperException;
import org.apache.jasper.compiler.JspRuntimeContext;
import org.apache.jasper.servlet.JspServletWrapper;

/**
 * {@code jsp.precompile}: compiles every JSP under the app's root (WEB-INF included, where MVC apps keep their views)
 * while it deploys, into the same scratch folder the app's JSP servlet uses, which then finds each class up to date
 * and only loads it. The first page that does not compile stops the deployment with Jasper's message. Runs on the
 * deploying thread, after the app started (Jasper's initializer has read the TLDs by then).
 */
final class JspPrecompiler {

    private JspPrecompiler() {}

    /** Compiles the pages and returns how many there were. */
    static int compile(ServletContext context, Path webRoot, JspPaths paths, Settings.Jsp settings,
                       ClassLoader loader) throws DeploymentException, IOException {
        List<String> pages = pages(webRoot, paths);
        ServletConfig config = config(context, JspSupport.options(settings));
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        JspRuntimeContext runtime = null;
        try {
            EmbeddedServletOptions options = new EmbeddedServletOptions(config, context);
            runtime = new JspRuntimeContext(context, options);
            for (String page : pages) {
                compile(new JspServletWrapper(config, options, page, runtime), page);
            }
            return pages.size();
        } finally {
            if (runtime != null) {
                runtime.destroy();
            }
            thread.setContextClassLoader(previous);
        }
    }

    private static void compile(JspServletWrapper wrapper, String page) throws DeploymentException {
        try {
            wrapper.getJspEngineContext().compile();
        } catch (JasperException | FileNotFoundException e) {
            throw new DeploymentException("JSP " + page + " does not compile: "
                    + String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim(), e);
        }
    }

    private static List<String> pages(Path webRoot, JspPaths paths) throws IOException {
        try (Stream<Path> files = Files.walk(webRoot)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> "/" + webRoot.relativize(file).toString().replace('\\', '/'))
                    .filter(paths::matches).sorted().toList();
        }
    }

    private static ServletConfig config(ServletContext context, Map<String, String> params) {
        return new ServletConfig() {
            @Override
            public String getServletName() {
                return "jsp";
            }

            @Override
            public ServletContext getServletContext() {
                return context;
            }

            @Override
            public String getInitParameter(String name) {
                return params.get(name);
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                return Collections.enumeration(params.keySet());
            }
        };
    }
}
