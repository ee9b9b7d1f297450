package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Gauge;
import io.warhorse.core.testing.RunningWorker;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Jakarta WebSocket on every worker kind, through the chat sample and the JDK's own WebSocket client: messages go
 * round, the endpoint runs on the kind's threads (a virtual thread per message on virtual, the bounded pool on sync,
 * the blocking pool on async, never an I/O thread), and on async a handler that blocks stalls neither other sessions
 * nor HTTP requests; {@code @PostConstruct} runs once per endpoint instance, open sessions show in
 * {@code websocket.open}; and a thousand WebSockets open at once on the virtual kind.
 */
@Timeout(180)
class WebSocketKindsTest {

    @ParameterizedTest
    @ValueSource(strings = {"sync", "virtual", "async"})
    void chatEchoesOnTheKindsThreads(String kind) throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings(kind, List.of(app("chat"))));
             HttpClient client = HttpClient.newHttpClient()) {
            Client chat = Client.open(client, worker);
            chat.socket.sendText("hello there", true).get(10, TimeUnit.SECONDS);
            assertTrue(chat.next().endsWith(": hello there"));
            chat.socket.sendText("/thread", true).get(10, TimeUnit.SECONDS);
            String thread = chat.next();
            switch (kind) {
                case "sync" -> assertTrue(thread.matches("thread sync-\\d+"), thread);
                case "virtual" -> assertEquals("thread virtual", thread);
                case "async" -> assertTrue(thread.matches("thread async-blocking-\\d+"), thread);
                default -> throw new AssertionError(kind);
            }
            chat.socket.sendText("/stats", true).get(10, TimeUnit.SECONDS);
            assertTrue(chat.next().endsWith("postConstructs 1"), "@PostConstruct once for this instance");
            assertEquals(1, openGauge(worker));
            chat.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
            Deadline.within(java.time.Duration.ofSeconds(10), () -> chat.socket.isInputClosed() || openGauge(worker) == 0);
            chat.socket.abort();
            Deadline.within(java.time.Duration.ofSeconds(30), () -> openGauge(worker) == 0);
        }
    }

    /**
     * More sessions block in their handlers than the async kind has threads (and XNIO I/O threads): another session
     * still chats, the worker still answers HTTP, and the held handlers return once released.
     */
    @Test
    void blockingHandlersOnTheAsyncKindStallNeitherOtherSessionsNorHttp() throws Exception {
        int holders = 4;
        try (RunningWorker worker = RunningWorker.start(Wars.settings("async", List.of(app("chat")),
                "warhorse.async.threads", "1", "warhorse.io-threads", "2"));
             HttpClient client = HttpClient.newHttpClient()) {
            List<Client> clients = new ArrayList<>();
            try {
                for (int i = 0; i < holders; i++) {
                    Client holder = Client.open(client, worker);
                    clients.add(holder);
                    holder.socket.sendText("/hold", true).get(10, TimeUnit.SECONDS);
                    assertEquals("holding", holder.next());
                }
                Client other = Client.open(client, worker);
                clients.add(other);
                other.socket.sendText("/thread", true).get(10, TimeUnit.SECONDS);
                assertTrue(other.next().startsWith("thread async-blocking-"), "another session is served while 4 hold");
                assertEquals(200, Http.get(worker.port(), "/chat/").status(), "HTTP is served while 4 handlers hold");
                other.socket.sendText("/release", true).get(10, TimeUnit.SECONDS);
                for (Client holder : clients.subList(0, holders)) {
                    assertEquals("held until released", holder.next());
                }
            } finally {
                clients.forEach(each -> each.socket.abort()); // the client's close waits for its open WebSockets
            }
        }
    }

    @Test
    void aThousandOpenWebSocketsOnTheVirtualKind() throws Exception {
        int count = 1000;
        try (RunningWorker worker = RunningWorker.start(Wars.settings("virtual", List.of(app("chat"))));
             HttpClient client = HttpClient.newHttpClient()) {
            long heapBefore = usedHeap();
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                clients.add(Client.open(client, worker));
            }
            Deadline.within(java.time.Duration.ofSeconds(60), () -> openGauge(worker) == count);
            long heapAfter = usedHeap();
            clients.getLast().socket.sendText("/stats", true).get(10, TimeUnit.SECONDS);
            String stats = clients.getLast().next();
            assertTrue(stats.startsWith("room " + count + " "), stats);
            System.out.printf("1000 open WebSockets (server and client in one JVM): heap +%d KiB after GC%n",
                    (heapAfter - heapBefore) / 1024);
            for (Client each : clients) {
                each.socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
            }
            Deadline.within(java.time.Duration.ofSeconds(60), () -> openGauge(worker) == 0);
        }
    }

    private static int openGauge(RunningWorker worker) {
        Gauge<?> gauge = worker.metrics().getGauges().get("websocket.open");
        assertNotNull(gauge, "websocket.open gauge");
        return ((Number) gauge.getValue()).intValue();
    }

    private static long usedHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** One JDK WebSocket client whose text messages queue up for the test. */
    record Client(WebSocket socket, BlockingQueue<String> messages) {

        static Client open(HttpClient client, RunningWorker worker) throws Exception {
            BlockingQueue<String> messages = new LinkedBlockingQueue<>();
            WebSocket socket = client.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + worker.port() + "/chat/room"), new WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                messages.add(text.toString());
                                text.setLength(0);
                            }
                            webSocket.request(1);
                            return CompletableFuture.completedFuture(null);
                        }
                    }).get(20, TimeUnit.SECONDS);
            return new Client(socket, messages);
        }

        String next() throws InterruptedException {
            String message = messages.poll(20, TimeUnit.SECONDS);
            assertNotNull(message, "no message within 20 s");
            return message;
        }
    }
}
