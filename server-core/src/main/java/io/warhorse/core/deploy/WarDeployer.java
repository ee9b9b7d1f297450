package io.warhorse.core.deploy;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.undertow.servlet.api.Deployment;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.ServletContainer;
import io.undertow.servlet.api.ServletStackTraces;
import io.warhorse.core.config.AppSpec;
import io.warhorse.core.config.Settings;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a WAR file or an exploded WAR folder into a started Undertow deployment: unpack (safely), one class loader,
 * web.xml and fragments, annotations unless metadata-complete, ServletContainerInitializers, then deploy and start.
 * All or nothing: if any step fails, what was done is undone (the app is stopped and removed from the container,
 * its loader closed, its unpacked copy deleted) and a {@link DeploymentException} says in one line which app failed
 * and why. Runs on the worker's main thread, once per app, before the listener accepts connections.
 */
public final class WarDeployer {

    private static final Logger LOG = LoggerFactory.getLogger(WarDeployer.class);

    private final TempFolders folders;
    private final Settings.Deploy settings;
    private final MetricRegistry metrics;
    private DeploymentBuilder.Shared shared;

    private WarDeployer(TempFolders folders, Settings.Deploy settings, MetricRegistry metrics) {
        this.folders = folders;
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * {@code settings.tempDir()}: parent folder for unpacked WARs and compiled JSPs; {@code metrics}: where failed
     * logins are counted.
     */
    public static WarDeployer create(Settings.Deploy settings, MetricRegistry metrics) {
        TempFolders folders = TempFolders.in(settings.tempDir());
        folders.removeStale();
        return new WarDeployer(folders, settings, metrics);
    }

    /** Cheap checks for the CLI to fail fast on: the source exists and is a folder or a zip file. */
    public static void validate(AppSpec spec) throws DeploymentException {
        Path source = spec.source();
        if (!Files.exists(source)) {
            throw new DeploymentException(label(spec) + ": does not exist");
        }
        if (!Files.isReadable(source)) {
            throw new DeploymentException(label(spec) + ": cannot be read (check its permissions)");
        }
        if (!Files.isDirectory(source) && !WarUnpacker.isZip(source)) {
            throw new DeploymentException(label(spec) + ": not a WAR (not a zip file)");
        }
    }

    /**
     * Reads, unpacks, builds the class loader and DeploymentInfo, lets {@code customize} set the executor etc.
     * (after warhorse's own settings), then deploys and starts the app in {@code container}.
     */
    public DeployedApp deploy(AppSpec spec, Consumer<DeploymentInfo> customize, ServletContainer container)
            throws DeploymentException {
        validate(spec);
        refuseTakenContextPath(spec, container);
        if (shared == null) {
            AtomicInteger open = new AtomicInteger();
            metrics.gauge("websocket.open", () -> (Gauge<Integer>) open::get);
            shared = new DeploymentBuilder.Shared(settings.jsp(), Realms.identities(settings.security(), metrics), open);
        }
        StartedApp app = new StartedApp(spec);
        long began = System.nanoTime();
        try {
            start(app, customize, container);
            LOG.info("{}: deployed in {} ms", label(spec), (System.nanoTime() - began) / 1_000_000);
            return app;
        } catch (DeploymentException e) {
            app.close();
            throw new DeploymentException(label(spec) + ": " + e.getMessage(), e.getCause());
        } catch (IOException e) {
            app.close();
            throw new DeploymentException(label(spec) + ": " + reason(e), e);
        } catch (RuntimeException | LinkageError e) {
            app.close();
            throw new DeploymentException(label(spec) + ": failed to deploy: " + StartupFailures.describe(e), e);
        }
    }

    private void start(StartedApp app, Consumer<DeploymentInfo> customize, ServletContainer container)
            throws IOException, DeploymentException {
        AppSpec spec = app.spec();
        Path folder = folders.create(folderName(spec));
        app.folder(folder);
        Path webRoot = webRoot(spec.source(), folder);
        WebAppClassLoader loader = WebAppClassLoader.create("app " + spec.contextPath(), webRoot,
                WarDeployer.class.getClassLoader());
        app.loader(loader);
        List<Path> jars = WebAppClassLoader.libraryJars(webRoot);
        WebResources resources = WebResources.of(resourceRoots(webRoot, jars, folder.resolve("jar-resources")));
        app.resources(resources);
        DeploymentBuilder.Built built = DeploymentBuilder.build(spec, webRoot, jars, loader, shared);
        DeploymentInfo info = built.info().setResourceManager(resources)
                .setTempDir(Files.createDirectories(folder.resolve("tmp")))
                .setServletStackTraces(stackTraces(settings.stackTraces()))
                .addOuterHandlerChainWrapper(ContentLanguage.INSTANCE);
        StartupFailures failures = new StartupFailures();
        info.addLifecycleInterceptor(failures);
        customize.accept(info);
        DeploymentManager manager = container.addDeployment(info);
        app.manager(container, info, manager);
        run(manager, loader, failures, app);
        if (settings.jsp().precompile()) {
            precompile(spec, manager, webRoot, built.jspPaths(), loader);
        }
    }

    private void precompile(AppSpec spec, DeploymentManager manager, Path webRoot, JspPaths paths, ClassLoader loader)
            throws DeploymentException, IOException {
        long began = System.nanoTime();
        int pages = JspPrecompiler.compile(manager.getDeployment().getServletContext(), webRoot, paths,
                settings.jsp(), loader);
        LOG.info("{}: compiled {} JSP pages in {} ms", label(spec), pages, (System.nanoTime() - began) / 1_000_000);
    }

    /** {@code deploy.stack-traces} as Undertow names it. */
    private static ServletStackTraces stackTraces(String mode) {
        return switch (mode) {
            case "all" -> ServletStackTraces.ALL;
            case "local" -> ServletStackTraces.LOCAL_ONLY;
            default -> ServletStackTraces.NONE;
        };
    }

    /** Deploys (listeners, initializers) then starts (load-on-startup servlets, filters), failing on either. */
    private static void run(DeploymentManager manager, ClassLoader loader, StartupFailures failures, StartedApp app)
            throws DeploymentException {
        try {
            manager.deploy();
            app.handler(manager.start());
        } catch (ServletException | RuntimeException e) {
            DeploymentException recorded = failures.stopRecording();
            throw recorded != null ? recorded
                    : new DeploymentException(StartupFailures.explain(e, loader), StartupFailures.appException(e));
        }
        DeploymentException recorded = failures.stopRecording();
        if (recorded != null) {
            throw recorded;
        }
    }

    /** Undertow would quietly let a second app shadow the first one's context path. */
    private static void refuseTakenContextPath(AppSpec spec, ServletContainer container) throws DeploymentException {
        for (String name : container.listDeployments()) {
            DeploymentManager other = container.getDeployment(name);
            Deployment deployed = other == null ? null : other.getDeployment();
            if (deployed != null && spec.contextPath().equals(deployed.getDeploymentInfo().getContextPath())) {
                throw new DeploymentException(label(spec) + ": context path " + spec.contextPath()
                        + " is already taken by " + name);
            }
        }
    }

    /** warhorse's own I/O messages are written for operators already; the JDK's need their type to make sense. */
    private static String reason(IOException e) {
        boolean ours = e.getClass() == IOException.class || e instanceof WarUnpacker.UnsafeEntryException
                || e instanceof WarUnpacker.NotAZipException;
        return ours ? e.getMessage() : StartupFailures.describe(e);
    }

    private static Path webRoot(Path source, Path folder) throws IOException {
        if (Files.isDirectory(source)) {
            return source.toAbsolutePath().normalize();
        }
        Path webRoot = folder.resolve("webapp");
        WarUnpacker.unpack(source, webRoot);
        return webRoot;
    }

    private static List<Path> resourceRoots(Path webRoot, List<Path> jars, Path extracted) throws IOException {
        List<Path> roots = new ArrayList<>(List.of(webRoot));
        for (Path jar : jars) {
            Path target = extracted.resolve(jar.getFileName().toString());
            if (WarUnpacker.extractResources(jar, target)) {
                roots.add(target);
            }
        }
        return roots;
    }

    private static String folderName(AppSpec spec) {
        String context = spec.contextPath();
        return context.equals("/") ? "ROOT" : context.substring(1).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** "app /shop (/srv/shop.war)": how every message about an app starts. */
    static String label(AppSpec spec) {
        return "app " + spec.contextPath() + " (" + spec.source() + ")";
    }
}
