package io.warhorse.worker.async;

import io.undertow.server.HttpHandler;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.ServletInfo;
import io.warhorse.core.spi.RequestRunner;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * The async kind's runner, with two exceptions that run on a pool of their own, {@code blocking}: JSP pages and
 * the connections' tasks (WebSocket endpoint methods). A JSP writes through blocking streams, and Jasper compiles
 * a page on its first request (a second or more of CPU); a WebSocket {@code @OnMessage} is plain blocking code as
 * often as not. On the async kind's one thread per core either would stall every request behind it. Servlets whose
 * class is Jasper's {@code JspServlet} (or a subclass: {@code *.jsp}, {@code <jsp-file>}, {@code addJspFile}) get
 * {@code blocking} as their executor; a full pool answers 503 as the sync kind does. Configured on the worker's
 * main thread.
 */
final class BlockingPagesRunner implements RequestRunner {

    static final String JSP_SERVLET = "org.apache.jasper.servlet.JspServlet";

    private final RequestRunner delegate;
    private final Executor blocking;
    private final ExecutorService owned;

    BlockingPagesRunner(RequestRunner delegate, Executor blocking, ExecutorService owned) {
        this.delegate = delegate;
        this.blocking = blocking;
        this.owned = owned;
    }

    @Override
    public void configure(DeploymentInfo deployment) {
        delegate.configure(deployment);
        for (ServletInfo servlet : deployment.getServlets().values()) {
            if (isJsp(servlet.getServletClass()) && servlet.getExecutor() == null) {
                servlet.setExecutor(blocking);
            }
        }
    }

    @Override
    public HttpHandler admit(HttpHandler next) {
        return delegate.admit(next);
    }

    @Override
    public Connections connections() {
        return new Connections(delegate.connections().buffers(), blocking);
    }

    @Override
    public void close() {
        owned.shutdownNow();
        delegate.close();
    }

    static boolean isJsp(Class<?> type) {
        for (Class<?> at = type; at != null; at = at.getSuperclass()) {
            if (at.getName().equals(JSP_SERVLET)) {
                return true;
            }
        }
        return false;
    }
}
