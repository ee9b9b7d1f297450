package org.xnio;

import io.warhorse.core.worker.LateMBeans;
import java.security.PrivilegedAction;
import javax.management.MBeanServer;

/**
 * Replaces, by coming first on a worker's class path, the one class of XNIO 3.8 (xnio-api) that picks the MBean
 * server XNIO registers its provider, worker and server MXBeans with: XNIO's own asks for the JVM's platform MBean
 * server, whose creation (about 25 platform MXBeans, each introspected by reflection) took ~100 ms of a worker's
 * boot on two cores, before the worker could serve. This one hands XNIO {@link LateMBeans#server()}, which keeps
 * the registrations until the worker is ready and then makes them on the platform server, so the beans are still
 * there for JMX clients. {@code XnioMBeanHolderTest} checks that XNIO's original still does what this replaces.
 *
 * <p>Runs once, on whichever thread first makes XNIO register a bean (a worker's {@code xnio-start} thread).
 */
final class Xnio$MBeanHolder$1 implements PrivilegedAction<MBeanServer> {

    Xnio$MBeanHolder$1() {}

    @Override
    public MBeanServer run() {
        return LateMBeans.server();
    }
}
