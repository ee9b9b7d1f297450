package io.warhorse.core.spi;

import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Xnio;

/**
 * Runs XNIO's thread-exit hook after each task. XNIO's blocking reads and writes open a temporary
 * {@code Selector} per thread and keep it in a ThreadLocal that only {@code Xnio.handleThreadExit()} closes;
 * XNIO calls it for its own pool threads, never for ours. With a virtual thread per request, skipping it leaked
 * over a thousand file descriptors per thousand slow-body POSTs. The hook is protected, so it is called
 * reflectively; if it is missing, tasks run unwrapped and the problem is logged once.
 */
public final class XnioThreadExit {

    private static final Logger LOG = LoggerFactory.getLogger(XnioThreadExit.class);

    private final Xnio xnio;
    private final Method hook;

    private XnioThreadExit(Xnio xnio, Method hook) {
        this.xnio = xnio;
        this.hook = hook;
    }

    public static XnioThreadExit find() {
        Xnio xnio = Xnio.getInstance(io.undertow.Undertow.class.getClassLoader());
        try {
            Method hook = Xnio.class.getDeclaredMethod("handleThreadExit");
            hook.setAccessible(true);
            return new XnioThreadExit(xnio, hook);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("XNIO has no handleThreadExit() hook ({}); blocking servlet I/O on virtual threads may leak selectors", e.toString());
            return new XnioThreadExit(xnio, null);
        }
    }

    public Runnable wrap(Runnable task) {
        if (hook == null) {
            return task;
        }
        return () -> {
            try {
                task.run();
            } finally {
                release();
            }
        };
    }

    private void release() {
        try {
            hook.invoke(xnio);
        } catch (ReflectiveOperationException e) {
            LOG.debug("XNIO thread-exit hook failed", e);
        }
    }
}
