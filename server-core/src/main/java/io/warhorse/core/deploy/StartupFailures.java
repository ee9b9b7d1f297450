package io.warhorse.core.deploy;

import io.undertow.servlet.api.FilterInfo;
import io.undertow.servlet.api.LifecycleInterceptor;
import io.undertow.servlet.api.ServletInfo;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Catches what Undertow only logs. A load-on-startup servlet whose {@code init} throws leaves Undertow's
 * {@code DeploymentManager.start()} returning normally (the error goes to the log and the servlet answers 500
 * later); warhorse must not serve half an app, so this interceptor remembers the first such failure for the
 * deployer to turn into a {@link DeploymentException}. It also turns the wrapped exceptions Undertow throws for a
 * failed listener into the app's own exception and a one-line reason.
 */
final class StartupFailures implements LifecycleInterceptor {

    private final AtomicReference<String> reason = new AtomicReference<>();
    private final AtomicReference<Throwable> cause = new AtomicReference<>();
    private volatile boolean starting = true;

    @Override
    public void init(ServletInfo info, Servlet servlet, LifecycleContext context) throws ServletException {
        try {
            context.proceed();
        } catch (ServletException | RuntimeException | Error e) {
            record("servlet " + info.getName() + " (" + info.getServletClass().getName() + ") failed in init", e);
            throw e;
        }
    }

    @Override
    public void init(FilterInfo info, Filter filter, LifecycleContext context) throws ServletException {
        try {
            context.proceed();
        } catch (ServletException | RuntimeException | Error e) {
            record("filter " + info.getName() + " (" + info.getFilterClass().getName() + ") failed in init", e);
            throw e;
        }
    }

    @Override
    public void destroy(ServletInfo info, Servlet servlet, LifecycleContext context) throws ServletException {
        context.proceed();
    }

    @Override
    public void destroy(FilterInfo info, Filter filter, LifecycleContext context) throws ServletException {
        context.proceed();
    }

    /**
     * Stops recording (failures after start belong to requests, not to the deployment) and returns the first
     * failure seen while starting, or null.
     */
    DeploymentException stopRecording() {
        starting = false;
        return reason.get() == null ? null
                : new DeploymentException(reason.get() + ": " + describe(cause.get()), cause.get());
    }

    private void record(String what, Throwable error) {
        if (starting && reason.compareAndSet(null, what)) {
            cause.set(appException(error));
        }
    }

    /** Names the app's listener or initializer that threw, if the exception came from one. */
    static String explain(Exception failure, ClassLoader loader) {
        Throwable own = appException(failure);
        for (StackTraceElement frame : own.getStackTrace()) {
            String kind = kindOf(frame.getClassName(), loader);
            if (kind != null) {
                return kind + " " + frame.getClassName() + " failed: " + describe(own);
            }
        }
        return "failed to start: " + describe(own);
    }

    private static String kindOf(String className, ClassLoader loader) {
        try {
            Class<?> type = Class.forName(className, false, loader);
            if (type.getClassLoader() != loader) {
                return null;
            }
            if (ServletContextListener.class.isAssignableFrom(type)) {
                return "listener";
            }
            return ServletContainerInitializer.class.isAssignableFrom(type) ? "initializer" : null;
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** Strips the wrappers Undertow and reflection put around the app's exception. */
    static Throwable appException(Throwable error) {
        Throwable current = error;
        while (current.getCause() != null && current.getCause() != current && isWrapper(current)) {
            current = current.getCause();
        }
        return current;
    }

    private static boolean isWrapper(Throwable error) {
        if (error instanceof InvocationTargetException) {
            return true;
        }
        boolean plainWrapper = error.getClass() == RuntimeException.class || error.getClass() == ServletException.class;
        String message = error.getMessage();
        return plainWrapper && (message == null || message.equals(error.getCause().toString())
                || error.getStackTrace().length > 0 && error.getStackTrace()[0].getClassName().startsWith("io.undertow."));
    }

    /** "IllegalStateException: db down", on one line. */
    static String describe(Throwable error) {
        String message = error.getMessage() == null ? "" : ": " + error.getMessage().replaceAll("\\s+", " ").trim();
        return error.getClass().getSimpleName() + message;
    }
}
