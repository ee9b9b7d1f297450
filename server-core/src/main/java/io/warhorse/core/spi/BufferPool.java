package io.warhorse.core.spi;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The buffers of a worker's connections (request reads, response writes): fixed-size buffers kept for reuse in a
 * small cache per platform thread and one bounded queue shared by every thread. A virtual thread, which lives for
 * one request, skips the cache and uses the queue. A buffer returned when the cache and the queue are full, or
 * after {@link #close}, is left to the garbage collector (direct memory is freed with its buffer object).
 *
 * <p>Why not Undertow's {@code DefaultByteBufferPool}: it looks the calling thread up in one synchronized
 * {@code WeakHashMap} on every allocation and every release, even with its per-thread cache turned off, so every
 * I/O, request and carrier thread of a worker took the same lock twice per request (12.7% of S1's samples on the
 * virtual kind were in that pool, measured with JFR).
 *
 * <p>Runs on any thread: I/O threads, request threads, virtual threads.
 */
public final class BufferPool implements ByteBufferPool {

    private final boolean direct;
    private final int bufferSize;
    private final int maxShared;
    private final int perThread;
    private final ConcurrentLinkedQueue<ByteBuffer> shared = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sharedCount = new AtomicInteger();
    private final ThreadLocal<ArrayDeque<ByteBuffer>> cache;
    private final BufferPool heap;
    private volatile boolean closed;

    private BufferPool(boolean direct, int bufferSize, int maxShared, int perThread) {
        if (bufferSize < 1 || maxShared < 0 || perThread < 0) {
            throw new IllegalArgumentException("buffer size " + bufferSize + ", shared " + maxShared + ", per thread "
                    + perThread);
        }
        this.direct = direct;
        this.bufferSize = bufferSize;
        this.maxShared = maxShared;
        this.perThread = perThread;
        this.cache = perThread == 0 ? null : ThreadLocal.withInitial(() -> new ArrayDeque<>(perThread));
        this.heap = direct ? new BufferPool(false, bufferSize, maxShared, perThread) : this;
    }

    /**
     * Direct buffers of {@code bufferSize} bytes, up to {@code perThread} kept by each platform thread and up to
     * {@code maxShared} in the shared queue; its {@link #getArrayBackedPool()} keeps heap buffers the same way.
     */
    public static BufferPool direct(int bufferSize, int maxShared, int perThread) {
        return new BufferPool(true, bufferSize, maxShared, perThread);
    }

    @Override
    public PooledByteBuffer allocate() {
        if (closed) {
            throw new IllegalStateException("the buffer pool is closed");
        }
        ArrayDeque<ByteBuffer> local = local();
        ByteBuffer buffer = local == null ? null : local.pollFirst();
        if (buffer == null) {
            buffer = shared.poll();
            if (buffer != null) {
                sharedCount.decrementAndGet();
            }
        }
        if (buffer == null) {
            buffer = direct ? ByteBuffer.allocateDirect(bufferSize) : ByteBuffer.allocate(bufferSize);
        }
        buffer.clear();
        return new Pooled(this, buffer);
    }

    private void release(ByteBuffer buffer) {
        if (closed) {
            return;
        }
        ArrayDeque<ByteBuffer> local = local();
        if (local != null && local.size() < perThread) {
            local.addFirst(buffer);
        } else if (sharedCount.incrementAndGet() <= maxShared) {
            shared.offer(buffer);
        } else {
            sharedCount.decrementAndGet();
        }
    }

    /** The calling platform thread's cache, or null (a virtual thread, or no cache configured). */
    private ArrayDeque<ByteBuffer> local() {
        return cache == null || Thread.currentThread().isVirtual() ? null : cache.get();
    }

    /** Buffers in the shared queue now. */
    int shared() {
        return sharedCount.get();
    }

    @Override
    public ByteBufferPool getArrayBackedPool() {
        return heap;
    }

    /** Stops keeping buffers: those returned later are dropped, and {@link #allocate} throws. */
    @Override
    public void close() {
        closed = true;
        shared.clear();
        if (heap != this) {
            heap.close();
        }
    }

    @Override
    public int getBufferSize() {
        return bufferSize;
    }

    @Override
    public boolean isDirect() {
        return direct;
    }

    /** One allocation: the buffer goes back to the pool once, on the first {@link #close}. */
    private static final class Pooled implements PooledByteBuffer {

        private static final VarHandle BUFFER;

        static {
            try {
                BUFFER = MethodHandles.lookup().findVarHandle(Pooled.class, "buffer", ByteBuffer.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final BufferPool pool;
        private volatile ByteBuffer buffer;

        Pooled(BufferPool pool, ByteBuffer buffer) {
            this.pool = pool;
            this.buffer = buffer;
        }

        @Override
        public ByteBuffer getBuffer() {
            ByteBuffer current = buffer;
            if (current == null) {
                throw new IllegalStateException("the buffer was already returned to its pool");
            }
            return current;
        }

        @Override
        public void close() {
            ByteBuffer current = buffer;
            if (current != null && BUFFER.compareAndSet(this, current, null)) {
                pool.release(current);
            }
        }

        @Override
        public boolean isOpen() {
            return buffer != null;
        }
    }
}
