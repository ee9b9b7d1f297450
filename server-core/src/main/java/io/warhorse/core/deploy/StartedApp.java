package io.warhorse.core.deploy;

import io.undertow.server.HttpHandler;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.ServletContainer;
import io.warhorse.core.config.AppSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one deployment holds, released in reverse order of creation by {@link #close()}. The deployer fills it
 * in step by step, so that a failure at any step can undo exactly what was done so far with the same method.
 */
final class StartedApp implements DeployedApp {

    private static final Logger LOG = LoggerFactory.getLogger(StartedApp.class);

    private final AppSpec spec;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Path folder;
    private WebAppClassLoader loader;
    private WebResources resources;
    private ServletContainer container;
    private DeploymentManager manager;
    private DeploymentInfo deployment;
    private HttpHandler handler;

    StartedApp(AppSpec spec) {
        this.spec = spec;
    }

    void folder(Path unpackFolder) {
        this.folder = unpackFolder;
    }

    void loader(WebAppClassLoader appLoader) {
        this.loader = appLoader;
    }

    void resources(WebResources webResources) {
        this.resources = webResources;
    }

    void manager(ServletContainer servletContainer, DeploymentInfo info, DeploymentManager deploymentManager) {
        this.container = servletContainer;
        this.deployment = info;
        this.manager = deploymentManager;
    }

    void handler(HttpHandler started) {
        this.handler = new ProtectedPathsHandler(started);
    }

    @Override
    public AppSpec spec() {
        return spec;
    }

    @Override
    public HttpHandler handler() {
        return handler;
    }

    @Override
    public ClassLoader classLoader() {
        return loader;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        undeploy();
        closeQuietly(resources);
        closeQuietly(loader);
        if (folder != null) {
            TempFolders.delete(folder);
        }
    }

    private void undeploy() {
        if (manager == null) {
            return;
        }
        try {
            manager.stop();
        } catch (Exception | LinkageError e) {
            LOG.warn("app {}: stopping failed: {}", spec.contextPath(), e.toString(), e);
        }
        try {
            manager.undeploy();
        } catch (Exception | LinkageError e) {
            LOG.warn("app {}: undeploying failed: {}", spec.contextPath(), e.toString(), e);
        }
        try {
            container.removeDeployment(deployment);
        } catch (RuntimeException e) {
            LOG.warn("app {}: removing the deployment failed: {}", spec.contextPath(), e.toString(), e);
        }
    }

    private void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            LOG.warn("app {}: closing {} failed: {}", spec.contextPath(), closeable, e.toString());
        } catch (Exception e) {
            LOG.warn("app {}: closing {} failed", spec.contextPath(), closeable, e);
        }
    }
}
