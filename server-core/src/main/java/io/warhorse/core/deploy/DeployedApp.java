package io.warhorse.core.deploy;

import io.undertow.server.HttpHandler;
import io.warhorse.core.config.AppSpec;

/**
 * An app that {@link WarDeployer} started: its listeners ran, its load-on-startup servlets are initialised, and
 * {@link #handler()} is ready to mount at {@code spec().contextPath()} (with {@code PathHandler.addPrefixPath}).
 * Closing it stops and undeploys the app, closes its class loader and deletes its unpacked copy.
 */
public interface DeployedApp extends AutoCloseable {

    AppSpec spec();

    /** The app's root handler; requests for WEB-INF and META-INF are answered 404 before reaching it. */
    HttpHandler handler();

    ClassLoader classLoader();

    /** Stops and removes the app; safe to call more than once, and never throws. */
    @Override
    void close();
}
