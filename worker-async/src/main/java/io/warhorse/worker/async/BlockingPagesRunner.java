package io.warhorse.worker.async;

import io.undertow.server.HttpHandler;
import io.undertow.connector.ByteBufferPool;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.ServletInfo;
import io.warhorse.core.spi.RequestRunner;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * The async kind's runner, with one exception: JSP pages run on a pool of their own. A JSP writes through blocking
 * streams, and Jasper compiles a page on its first request (a second or more of CPU); on the async kind's one
 * thread per core that would stall every request behind it. Servlets whose class is Jasper's {@code JspServlet}
 * (or a subclass: {@code *.jsp}, {@code <jsp-file>}, {@code addJspFile}) get {@code pages} as their executor; a
 * full pool answers 503 as the sync kind does. Configured on the worker's main thread.
 */
final class BlockingPagesRunner implements RequestRunner {

    static final String JSP_SERVLET = "org.apache.jasper.servlet.JspServlet";

    private final RequestRunner delegate;
    private final Executor pages;
    private final ExecutorService owned;

    BlockingPagesRunner(RequestRunner delegate, Executor pages, ExecutorService owned) {
        this.delegate = delegate;
        this.pages = pages;
        this.owned = owned;
    }

    @Override
    public void configure(DeploymentInfo deployment) {
        delegate.configure(deployment);
        for (ServletInfo servlet : deployment.getServlets().values()) {
            if (isJsp(servlet.getServletClass()) && servlet.getExecutor() == null) {
                servlet.setExecutor(pages);
            }
        }
    }

    @Override
    public HttpHandler admit(HttpHandler next) {
        return delegate.admit(next);
    }

    @Override
    public ByteBufferPool bufferPool() {
        return delegate.bufferPool();
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
