package io.warhorse.apps.chat;

import jakarta.annotation.PostConstruct;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat room at {@code /chat/room}: every text message goes to everyone in the room. {@code /thread} answers only
 * the sender with the thread that ran the handler (the worker kind's), {@code /stats} with the room's size and how
 * many endpoint instances were constructed (one per connection, {@code @PostConstruct} once each). {@code /hold}
 * blocks the sender's handler (up to 30 s) until someone sends {@code /release}: a handler that blocks, as JDBC or
 * an HTTP call would, delays its own session only, never the room or the server's other requests.
 */
@ServerEndpoint("/room")
public class ChatEndpoint {

    private static final Set<Session> ROOM = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger CONSTRUCTED = new AtomicInteger();
    private static final long HOLD_SECONDS = 30;
    private static CountDownLatch gate = new CountDownLatch(1);

    private int postConstructs;

    @PostConstruct
    void ready() {
        postConstructs++;
        CONSTRUCTED.incrementAndGet();
    }

    @OnOpen
    public void open(Session session) {
        ROOM.add(session);
    }

    @OnMessage
    public void message(Session session, String text) throws IOException {
        if (text.equals("/thread")) {
            Thread thread = Thread.currentThread();
            session.getBasicRemote().sendText("thread " + (thread.isVirtual() ? "virtual" : thread.getName()));
        } else if (text.equals("/hold")) {
            hold(session);
        } else if (text.equals("/release")) {
            release().countDown();
            session.getBasicRemote().sendText("released");
        } else if (text.equals("/stats")) {
            session.getBasicRemote().sendText("room " + ROOM.size() + " constructed " + CONSTRUCTED.get()
                    + " postConstructs " + postConstructs);
        } else {
            String line = session.getId().substring(0, Math.min(6, session.getId().length())) + ": " + text;
            for (Session peer : ROOM) {
                if (peer.isOpen()) {
                    peer.getAsyncRemote().sendText(line);
                }
            }
        }
    }

    private static void hold(Session session) throws IOException {
        CountDownLatch held = current();
        session.getBasicRemote().sendText("holding");
        try {
            boolean released = held.await(HOLD_SECONDS, TimeUnit.SECONDS);
            session.getBasicRemote().sendText(released ? "held until released" : "held until timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static synchronized CountDownLatch current() {
        return gate;
    }

    /** The gate the holders wait on now; the next holders get a new one. */
    private static synchronized CountDownLatch release() {
        CountDownLatch released = gate;
        gate = new CountDownLatch(1);
        return released;
    }

    @OnClose
    public void close(Session session) {
        ROOM.remove(session);
    }
}
