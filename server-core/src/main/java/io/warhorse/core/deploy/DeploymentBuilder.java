package io.warhorse.core.deploy;

import io.undertow.security.idm.IdentityManager;
import io.undertow.servlet.api.DeploymentInfo;
import io.warhorse.core.Version;
import io.warhorse.core.config.AppSpec;
import io.warhorse.core.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Describes an unpacked app to Undertow: descriptors first, then annotations (unless metadata-complete), then
 * what both declare is mapped and the initializers are found. The class files are read once, for annotations and
 * {@code @HandlesTypes} together, and that scan is dropped when {@link #build} returns, before the app starts.
 */
final class DeploymentBuilder {

    /**
     * The server's name in {@code ServletContext.getServerInfo()}, which Undertow follows with its own version:
     * {@code warhorse/0.1.0 - 2.3.26.Final}.
     */
    private static final String SERVER_NAME = "warhorse/" + Version.number();

    private DeploymentBuilder() {}

    /** What was built: the deployment, and the paths that name its JSPs (for {@link JspPrecompiler}). */
    record Built(DeploymentInfo info, JspPaths jspPaths) {}

    /** What every app of a worker shares: JSP settings, the user store, the count of open WebSockets. */
    record Shared(Settings.Jsp jsp, IdentityManager identities, AtomicInteger openWebSockets) {}

    static Built build(AppSpec spec, Path webRoot, List<Path> jars, ClassLoader loader, Shared shared)
            throws IOException, DeploymentException {
        WebXmlReader.Descriptors descriptors = WebXmlReader.read(webRoot, jars);
        DeploymentInfo info = new DeploymentInfo().setDeploymentName(spec.contextPath() + " " + spec.source())
                .setServerName(SERVER_NAME).setContextPath(spec.contextPath()).setClassLoader(loader).setEagerFilterInit(true);
        JspPaths jspPaths = JspPaths.of(descriptors.web());
        ClassScan scan = ClassScan.of(WarDeployer.label(spec), classPath(webRoot, jars), descriptors.scanned());
        if (!descriptors.metadataComplete()) {
            descriptors.augment(AnnotationScanner.read(scan));
            AnnotationScanner.applyClassAnnotations(descriptors.web(), scan);
        }
        info.setClassIntrospecter(ManagedInstances.of(descriptors.web(), shared.openWebSockets()));
        map(descriptors, loader, info, WarDeployer.label(spec));
        WebSockets.map(info, scan, loader);
        if (!descriptors.metadataComplete()) {
            info.addSecurityRoles(AnnotationScanner.declaredRoles(scan));
        }
        LoginMapper.map(descriptors.web(), info, shared.identities());
        StaticFileServlet.install(info, jspPaths);
        boolean jsp = JspContent.present(webRoot, jars, descriptors.web());
        if (jsp) {
            JspSupport.map(descriptors.web(), info, jspPaths, shared.jsp());
        }
        info.addServletContainerInitializers(InitializerScanner.find(loader, scan).stream()
                .filter(initializer -> jsp || !JspSupport.isEngine(initializer.getServletContainerInitializerClass()))
                .toList());
        return new Built(info, jspPaths);
    }

    private static void map(WebXmlReader.Descriptors descriptors, ClassLoader loader, DeploymentInfo info, String app)
            throws DeploymentException {
        ComponentMapper.map(descriptors.web(), loader, info);
        ContextMapper.map(descriptors.web(), loader, info);
        SecurityMapper.map(descriptors.web(), info, app);
        if (!descriptors.metadataComplete()) {
            ServletSecurityReader.apply(info);
        }
    }

    private static List<Path> classPath(Path webRoot, List<Path> jars) {
        List<Path> path = new ArrayList<>();
        Path classes = webRoot.resolve("WEB-INF/classes");
        if (Files.isDirectory(classes)) {
            path.add(classes);
        }
        path.addAll(jars);
        return path;
    }
}
