package io.warhorse.core.deploy;

import io.undertow.UndertowMessages;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.server.handlers.resource.Resource;
import io.undertow.server.handlers.resource.ResourceChangeListener;
import io.undertow.server.handlers.resource.ResourceManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The app's static files: the WAR's root first, then the {@code META-INF/resources} of its WEB-INF/lib jars (already
 * extracted to disk), in jar-name order. The first folder holding a path answers for it, so the app can override a
 * file a library ships.
 */
final class WebResources implements ResourceManager {

    private final List<ResourceManager> roots;

    private WebResources(List<ResourceManager> roots) {
        this.roots = roots;
    }

    static WebResources of(List<Path> folders) {
        return new WebResources(folders.stream().<ResourceManager>map(PathResourceManager::new).toList());
    }

    @Override
    public Resource getResource(String path) throws IOException {
        for (ResourceManager root : roots) {
            Resource resource = root.getResource(path);
            if (resource != null) {
                return resource;
            }
        }
        return null;
    }

    @Override
    public boolean isResourceChangeListenerSupported() {
        return false;
    }

    @Override
    public void registerResourceChangeListener(ResourceChangeListener listener) {
        throw UndertowMessages.MESSAGES.resourceChangeListenerNotSupported();
    }

    @Override
    public void removeResourceChangeListener(ResourceChangeListener listener) {
        throw UndertowMessages.MESSAGES.resourceChangeListenerNotSupported();
    }

    @Override
    public void close() throws IOException {
        for (ResourceManager root : roots) {
            root.close();
        }
    }
}
