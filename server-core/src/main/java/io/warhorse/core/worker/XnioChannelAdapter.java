package io.warhorse.core.worker;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.channels.ServerSocketChannel;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * Lets XNIO accept from a listening socket that warhorse opened itself (bound here, or inherited from the master
 * on fd 0, or from systemd), which XNIO has no public API for.
 *
 * <p>It builds what {@code NioXnioWorker.createTcpConnectionServer} builds after its own bind: a package-private
 * {@code NioTcpServer} over the channel, wrapped in the package-private {@code QueuedNioTcpServer2} that spreads
 * accepted connections over the I/O threads. Both constructors are reached reflectively; if an XNIO upgrade
 * changes them, {@link #adapt} fails at start with a message that names this class, and XnioChannelAdapterTest
 * fails in the build.
 */
public final class XnioChannelAdapter {

    private static final String NIO_PACKAGE = "org.xnio.nio.";

    private XnioChannelAdapter() {}

    /**
     * Returns an accepting channel over {@code channel} (bound and listening; switched to non-blocking here),
     * served by {@code worker}'s I/O threads. Accepts stay suspended until {@code resumeAccepts()}.
     */
    @SuppressWarnings("unchecked")
    public static AcceptingChannel<StreamConnection> adapt(XnioWorker worker, ServerSocketChannel channel,
                                                           OptionMap options) throws IOException {
        channel.configureBlocking(false);
        try {
            Class<?> workerType = Class.forName(NIO_PACKAGE + "NioXnioWorker");
            Class<?> serverType = Class.forName(NIO_PACKAGE + "NioTcpServer");
            Class<?> queuedType = Class.forName(NIO_PACKAGE + "QueuedNioTcpServer2");
            Object server = construct(serverType, new Class<?>[] {workerType, ServerSocketChannel.class, OptionMap.class,
                    boolean.class}, worker, channel, options, true);
            return (AcceptingChannel<StreamConnection>) construct(queuedType, new Class<?>[] {serverType}, server);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("XnioChannelAdapter: this XNIO version ("
                    + org.xnio.Version.getVersionString() + ") no longer has the constructors warhorse uses to serve "
                    + "an already-open socket: " + e, e);
        }
    }

    private static Object construct(Class<?> type, Class<?>[] parameters, Object... arguments)
            throws ReflectiveOperationException, IOException {
        Constructor<?> constructor = type.getDeclaredConstructor(parameters);
        constructor.setAccessible(true);
        try {
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }
}
