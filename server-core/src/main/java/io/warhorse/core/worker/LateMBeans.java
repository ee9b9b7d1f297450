package io.warhorse.core.worker;

import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectInstance;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MBean server that registers beans on the JVM's platform MBean server only once the worker is ready. Building
 * the platform server registers every platform MXBean, each introspected by reflection: ~100 ms of a worker's boot
 * on two cores, spent before it could serve because XNIO registers its own MXBeans as it starts. XNIO gets this
 * server instead (see {@code org.xnio.Xnio$MBeanHolder$1}); its registrations wait, in order, until {@link #open()},
 * which the worker calls once it is serving. Any other call (a query, an attribute read) opens it at once, so no
 * caller ever sees a server missing beans it registered.
 *
 * <p>Thread-safe: XNIO registers from its threads, the worker's main thread opens it.
 */
public final class LateMBeans implements InvocationHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LateMBeans.class);
    private static final LateMBeans INSTANCE = new LateMBeans(ManagementFactory::getPlatformMBeanServer);

    private final Supplier<MBeanServer> platform;
    private final Map<ObjectName, Object> waiting = new LinkedHashMap<>(); // guarded by this
    private final MBeanServer proxy;
    private volatile MBeanServer open;

    LateMBeans(Supplier<MBeanServer> platform) {
        this.platform = platform;
        this.proxy = (MBeanServer) Proxy.newProxyInstance(LateMBeans.class.getClassLoader(),
                new Class<?>[] {MBeanServer.class}, this);
    }

    /** The server XNIO registers with, for this JVM. */
    public static MBeanServer server() {
        return INSTANCE.proxy;
    }

    /** Builds the platform MBean server, if nothing has yet, and registers what waited; called after ready. */
    public static void openNow() {
        INSTANCE.open();
    }

    MBeanServer proxy() {
        return proxy;
    }

    /** Registers the waiting beans on the platform server, in the order they came; later calls go straight to it. */
    MBeanServer open() {
        MBeanServer server = open;
        if (server != null) {
            return server;
        }
        synchronized (this) {
            if (open == null) {
                MBeanServer target = platform.get();
                waiting.forEach((name, bean) -> {
                    try {
                        target.registerMBean(bean, name);
                    } catch (JMException | RuntimeException e) {
                        LOG.warn("cannot register MBean {}: {}", name, e.toString());
                    }
                });
                waiting.clear();
                open = target;
            }
            return open;
        }
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "hashCode" -> { return System.identityHashCode(self); }
            case "equals" -> { return self == args[0]; }
            case "toString" -> { return "LateMBeans[" + (open == null ? waitingCount() + " waiting" : "open") + "]"; }
            default -> { }
        }
        if (open == null) {
            synchronized (this) {
                if (open == null && answeredHere(method, args)) {
                    return method.getName().equals("registerMBean") ? hold(args[0], (ObjectName) args[1]) : null;
                }
            }
        }
        try {
            return method.invoke(open(), args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * Whether this call is answered here, before the platform server exists: registering a bean under a plain
     * name, or unregistering one that waits. Anything else (a bad argument included) goes to the platform server.
     */
    private boolean answeredHere(Method method, Object[] args) {
        if (method.getName().equals("registerMBean") && args.length == 2 && args[0] != null
                && args[1] instanceof ObjectName name && !name.isPattern()) {
            return true;
        }
        return method.getName().equals("unregisterMBean") && args.length == 1 && args[0] instanceof ObjectName name
                && waiting.remove(name) != null;
    }

    private ObjectInstance hold(Object bean, ObjectName name) throws InstanceAlreadyExistsException {
        if (waiting.putIfAbsent(name, bean) != null) {
            throw new InstanceAlreadyExistsException(name.toString());
        }
        return new ObjectInstance(name, bean.getClass().getName());
    }

    private synchronized int waitingCount() {
        return waiting.size();
    }
}
