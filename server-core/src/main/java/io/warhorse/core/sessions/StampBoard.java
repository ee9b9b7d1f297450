package io.warhorse.core.sessions;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Write counters of the local store's sessions, in a small file ({@code sessions.stamps}) that every worker of a
 * master maps into memory. Every write of a session (a save, a touch, a delete, an expiry) adds one to its slot's
 * counter once it is committed, before the request that wrote it answers. So a worker whose copy of a session was
 * read or written while the counter stood where it stands now knows, without asking SQLite, that no request has
 * written the session since; and a write that another worker's request has answered for is never missed. Sessions
 * share the slots by hash: a write to another session of the slot costs a needless read, never a stale one.
 *
 * <p>Thread-safe, and atomic across processes: the counters are read and added to with the processor's atomic
 * instructions on the shared mapping.
 */
final class StampBoard implements AutoCloseable {

    static final String FILE = "sessions.stamps";
    private static final int SLOTS = 1 << 16;
    private static final VarHandle COUNTERS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final FileChannel file;
    private final MappedByteBuffer counters;

    private StampBoard(FileChannel file, MappedByteBuffer counters) {
        this.file = file;
        this.counters = counters;
    }

    /** Maps the board in {@code runDir}, creating it (all counters 0) if no worker has yet. */
    static StampBoard open(Path runDir) throws IOException {
        FileChannel file = FileChannel.open(runDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            return new StampBoard(file, file.map(FileChannel.MapMode.READ_WRITE, 0, (long) SLOTS * Long.BYTES));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** The session's counter now. */
    long stamp(String app, String id) {
        return (long) COUNTERS.getVolatile(counters, slot(app, id));
    }

    /** Counts a committed write of the session; returns the counter as it was before. */
    long bump(String app, String id) {
        return (long) COUNTERS.getAndAdd(counters, slot(app, id), 1L);
    }

    /** The byte offset of the session's counter: its app and id, hashed and mixed (murmur3's finalizer). */
    private static int slot(String app, String id) {
        int h = app.hashCode() * 31 + id.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return (h & (SLOTS - 1)) * Long.BYTES;
    }

    /** Closes the file; the mapping itself goes when the board is collected. */
    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            // closing: nothing left to do with it
        }
    }
}
