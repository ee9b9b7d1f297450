package io.warhorse.core.deploy;

import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.websockets.jsr.WebSocketDeploymentInfo;
import io.warhorse.core.spi.BufferPool;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Jakarta WebSocket 2.1 for an app, on Undertow's implementation: the {@code @ServerEndpoint} classes and
 * {@code ServerApplicationConfig}s of the class scan (Undertow scans nothing), and the
 * {@code jakarta.websocket.server.ServerContainer} context attribute for endpoints added in code. Endpoint methods
 * are dispatched off the I/O thread to the XNIO worker's task pool (not yet the kind's executor: backing that pool
 * with it kept workers from exiting). Runs on the deploying thread.
 */
final class WebSockets {

    /** Frame buffers of the app's WebSocket container: direct, 16 KiB, a bounded number kept for reuse. */
    private static final int BUFFER_SIZE = 16 * 1024;
    private static final int POOLED_BUFFERS = 256;

    private WebSockets() {}

    static void map(DeploymentInfo deployment, ClassScan scan, ClassLoader loader) throws DeploymentException {
        WebSocketDeploymentInfo websockets = new WebSocketDeploymentInfo().setDispatchToWorkerThread(true)
                .setBuffers(BufferPool.direct(BUFFER_SIZE, POOLED_BUFFERS, 0));
        Set<Class<?>> annotated = classes(scan, ServerEndpoint.class, loader);
        Set<Class<?>> configs = classes(scan, ServerApplicationConfig.class, loader);
        if (configs.isEmpty()) {
            websockets.addAnnotatedEndpoints(annotated);
        } else {
            Set<Class<? extends Endpoint>> endpoints = endpoints(classes(scan, Endpoint.class, loader));
            for (Class<?> type : configs) {
                ServerApplicationConfig config = instantiate(type);
                websockets.addAnnotatedEndpoints(orEmpty(config.getAnnotatedEndpointClasses(annotated)));
                Set<ServerEndpointConfig> programmatic = config.getEndpointConfigs(endpoints);
                orEmpty(programmatic).forEach(websockets::addEndpoint);
            }
        }
        deployment.addServletContextAttribute(WebSocketDeploymentInfo.ATTRIBUTE_NAME, websockets);
    }

    /** The concrete classes the scan found for {@code type}: annotated with it, or implementing or extending it. */
    private static Set<Class<?>> classes(ClassScan scan, Class<?> type, ClassLoader loader) throws DeploymentException {
        Set<Class<?>> found = new LinkedHashSet<>();
        for (String name : scan.handledBy(type)) {
            try {
                Class<?> loaded = Class.forName(name, false, loader);
                boolean concrete = !loaded.isInterface() && !Modifier.isAbstract(loaded.getModifiers());
                if (concrete && (!type.isAnnotation() || loaded.isAnnotationPresent(type.asSubclass(
                        java.lang.annotation.Annotation.class)))) {
                    found.add(loaded);
                }
            } catch (ClassNotFoundException | LinkageError e) {
                throw new DeploymentException("WebSocket class " + name + " cannot be loaded: " + e, e);
            }
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    private static Set<Class<? extends Endpoint>> endpoints(Set<Class<?>> classes) {
        Set<Class<? extends Endpoint>> endpoints = new LinkedHashSet<>();
        classes.forEach(type -> endpoints.add((Class<? extends Endpoint>) type));
        return endpoints;
    }

    private static ServerApplicationConfig instantiate(Class<?> type) throws DeploymentException {
        try {
            return (ServerApplicationConfig) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new DeploymentException("ServerApplicationConfig " + type.getName() + " failed: " + e, e);
        }
    }

    private static <T> Set<T> orEmpty(Set<T> set) {
        return set == null ? Set.of() : set;
    }
}
