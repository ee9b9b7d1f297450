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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat room at {@code /chat/room}: every text message goes to everyone in the room. {@code /thread} answers only
 * the sender with the thread that ran the handler (the worker kind's), {@code /stats} with the room's size and how
 * many endpoint instances were constructed (one per connection, {@code @PostConstruct} once each).
 */
@ServerEndpoint("/room")
public class ChatEndpoint {

    private static final Set<Session> ROOM = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger CONSTRUCTED = new AtomicInteger();

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

    @OnClose
    public void close(Session session) {
        ROOM.remove(session);
    }
}
