package io.warhorse.core.deploy;

import io.undertow.servlet.api.DeploymentInfo;
import io.warhorse.core.config.AppSpec;

/**
 * A WAR made ready for Undertow: unpacked (if it was a file), its class loader built, its web.xml, fragments,
 * annotations and initializers read into a {@link DeploymentInfo}. Nothing of the app's code has run yet; that
 * happens when the worker deploys and starts the info. {@link #close()} closes the class loader and removes
 * the unpacked copy.
 */
public interface PreparedApp extends AutoCloseable {

    AppSpec spec();

    DeploymentInfo deploymentInfo();

    ClassLoader classLoader();

    @Override
    void close();
}
