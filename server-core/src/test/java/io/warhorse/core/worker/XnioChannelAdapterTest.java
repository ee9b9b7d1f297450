package io.warhorse.core.worker;

import io.warhorse.core.process.ListenSocket;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.undertow.Undertow;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.warhorse.core.config.HostPort;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xnio.ChannelListeners;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * Guards the one place warhorse reaches into XNIO's internals: if an XNIO upgrade renames or changes the
 * package-private server classes, this fails in the build, not in production.
 */
class XnioChannelAdapterTest {

    @Test
    void undertowServesASocketOpenedOutsideXnio() throws Exception {
        ServerSocketChannel channel = ListenSocket.bind(new HostPort("127.0.0.1", 0), 50);
        XnioWorker worker = Xnio.getInstance(Undertow.class.getClassLoader())
                .createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 2));
        try {
            HttpOpenListener listener = new HttpOpenListener(new DefaultByteBufferPool(false, 4096), OptionMap.EMPTY);
            listener.setRootHandler(exchange -> exchange.getResponseSender().send("served by " + Thread.currentThread().getName()));
            AcceptingChannel<StreamConnection> acceptor = XnioChannelAdapter.adapt(worker, channel, OptionMap.EMPTY);
            acceptor.getAcceptSetter().set(ChannelListeners.openListenerAdapter(listener));
            acceptor.resumeAccepts();
            int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            assertEquals(port, ((InetSocketAddress) acceptor.getLocalAddress()).getPort());

            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals(true, response.body().startsWith("served by XNIO-") || response.body().contains("I/O"), response.body());
            acceptor.close();
        } finally {
            worker.shutdownNow();
        }
    }
}
