package io.warhorse.core.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xnio.conduits.ReadReadyHandler;
import org.xnio.conduits.StreamSourceConduit;

/**
 * The lazy suspension's contract, over a socket conduit that records what is asked of it: a suspension undone
 * before any event never reaches the socket, an event while suspended is held back and suspends the socket for real,
 * and a resumption after that resumes the socket and lets events through again.
 */
class LazyReadSuspendTest {

    /** What the lazy conduit asked of the socket, in order. */
    private final List<String> calls = new ArrayList<>();
    private boolean socketResumed = true;
    private ReadReadyHandler socketHandler;
    private int delivered;

    private final StreamSourceConduit socket = (StreamSourceConduit) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {StreamSourceConduit.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "isReadResumed" -> {
                        return socketResumed;
                    }
                    case "setReadReadyHandler" -> socketHandler = (ReadReadyHandler) args[0];
                    case "suspendReads" -> {
                        socketResumed = false;
                        calls.add("suspend");
                    }
                    case "resumeReads" -> {
                        socketResumed = true;
                        calls.add("resume");
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                }
                return null;
            });

    private LazyReadSuspend lazyOverSocket() {
        LazyReadSuspend lazy = new LazyReadSuspend(socket);
        lazy.setReadReadyHandler(new ReadReadyHandler() {
            @Override
            public void readReady() {
                delivered++;
            }

            @Override
            public void forceTermination() {
            }

            @Override
            public void terminated() {
            }
        });
        return lazy;
    }

    @Test
    void aSuspensionUndoneBeforeAnyEventLeavesTheSocketAsItWas() {
        LazyReadSuspend lazy = lazyOverSocket();
        for (int request = 0; request < 3; request++) {
            socketHandler.readReady(); // the request's bytes
            lazy.suspendReads(); // parsed: Undertow suspends
            assertFalse(lazy.isReadResumed());
            lazy.resumeReads(); // the exchange completed
            assertTrue(lazy.isReadResumed());
        }
        assertEquals(3, delivered);
        assertTrue(socketResumed);
        assertEquals(List.of("resume", "resume", "resume"), calls, "no real suspension; resuming a watched socket is a no-op in XNIO");
    }

    @Test
    void anEventWhileSuspendedIsHeldBackAndSuspendsTheSocketForReal() {
        LazyReadSuspend lazy = lazyOverSocket();
        lazy.suspendReads();
        socketHandler.readReady(); // a pipelined request or the client's close, while a request runs
        assertEquals(0, delivered, "nothing reaches a suspended connection's listener");
        assertFalse(socketResumed, "the socket is no longer watched for reads");
        assertEquals(List.of("suspend"), calls);

        lazy.resumeReads();
        assertTrue(socketResumed);
        socketHandler.readReady();
        assertEquals(1, delivered, "after resuming, the waiting bytes are handed on");
    }

    @Test
    void aConnectionAcceptedWithReadsSuspendedStartsSuspended() {
        socketResumed = false;
        LazyReadSuspend lazy = lazyOverSocket();
        assertFalse(lazy.isReadResumed());
        socketHandler.readReady();
        assertEquals(0, delivered);
    }
}
