package io.warhorse.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.connector.PooledByteBuffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void aPlatformThreadGetsItsOwnBufferBackClearedAndDirect() {
        BufferPool pool = BufferPool.direct(64, 8, 2);
        PooledByteBuffer first = pool.allocate();
        ByteBuffer buffer = first.getBuffer();
        assertTrue(buffer.isDirect());
        assertEquals(64, buffer.capacity());
        buffer.put((byte) 1).limit(10);
        first.close();
        assertEquals(0, pool.shared(), "kept by this thread, not shared");
        PooledByteBuffer again = pool.allocate();
        assertSame(buffer, again.getBuffer());
        assertEquals(0, again.getBuffer().position());
        assertEquals(64, again.getBuffer().limit());
    }

    @Test
    void aVirtualThreadSharesItsBuffersWithEveryThread() throws Exception {
        BufferPool pool = BufferPool.direct(64, 8, 2);
        AtomicReference<ByteBuffer> returned = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            PooledByteBuffer pooled = pool.allocate();
            returned.set(pooled.getBuffer());
            pooled.close();
        }).join();
        assertEquals(1, pool.shared());
        assertSame(returned.get(), pool.allocate().getBuffer(), "this platform thread's cache was empty: the shared one");
        assertEquals(0, pool.shared());
    }

    @Test
    void closingTwiceReturnsTheBufferOnce() {
        BufferPool pool = BufferPool.direct(64, 8, 0);
        PooledByteBuffer pooled = pool.allocate();
        pooled.close();
        pooled.close();
        assertFalse(pooled.isOpen());
        assertThrows(IllegalStateException.class, pooled::getBuffer);
        assertEquals(1, pool.shared());
        assertNotSame(pool.allocate().getBuffer(), pool.allocate().getBuffer());
    }

    @Test
    void theCacheAndTheSharedQueueAreBounded() {
        BufferPool pool = BufferPool.direct(64, 3, 2);
        List<PooledByteBuffer> out = new ArrayList<>();
        Set<ByteBuffer> before = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 10; i++) {
            out.add(pool.allocate());
            before.add(out.getLast().getBuffer());
        }
        out.forEach(PooledByteBuffer::close);
        assertEquals(3, pool.shared(), "2 kept by this thread, 3 shared, 5 dropped");
        int reused = 0;
        for (int i = 0; i < 10; i++) {
            if (before.contains(pool.allocate().getBuffer())) {
                reused++;
            }
        }
        assertEquals(5, reused);
    }

    @Test
    void aClosedPoolRefusesAndKeepsNothing() {
        BufferPool pool = BufferPool.direct(64, 8, 2);
        PooledByteBuffer pooled = pool.allocate();
        pool.close();
        pooled.close();
        assertEquals(0, pool.shared());
        assertThrows(IllegalStateException.class, pool::allocate);
        assertThrows(IllegalStateException.class, pool.getArrayBackedPool()::allocate);
    }

    @Test
    void theArrayBackedPoolHasHeapBuffersOfTheSameSize() {
        BufferPool pool = BufferPool.direct(128, 8, 2);
        ByteBuffer heap = pool.getArrayBackedPool().allocate().getBuffer();
        assertFalse(heap.isDirect());
        assertTrue(heap.hasArray());
        assertEquals(128, heap.capacity());
        assertFalse(pool.getArrayBackedPool().isDirect());
        assertSame(pool.getArrayBackedPool(), pool.getArrayBackedPool().getArrayBackedPool());
    }

    @Test
    void manyThreadsNeverGetOneBufferTwiceAtOnce() throws Exception {
        BufferPool pool = BufferPool.direct(16, 4, 1);
        Set<ByteBuffer> inUse = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        AtomicReference<String> clash = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Runnable body = () -> {
                for (int i = 0; i < 20_000; i++) {
                    PooledByteBuffer pooled = pool.allocate();
                    if (!inUse.add(pooled.getBuffer())) {
                        clash.compareAndSet(null, "one buffer handed out twice at once");
                    }
                    inUse.remove(pooled.getBuffer());
                    pooled.close();
                }
            };
            threads.add(t % 2 == 0 ? Thread.ofVirtual().start(body) : Thread.ofPlatform().start(body));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(null, clash.get());
        assertTrue(pool.shared() <= 4, "shared " + pool.shared());
    }
}
