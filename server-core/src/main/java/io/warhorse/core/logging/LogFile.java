package io.warhorse.core.logging;

import io.undertow.server.handlers.accesslog.AccessLogReceiver;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A log file that several worker processes append to and that {@link #reopen} swaps for a new file at the same path
 * (after logrotate renamed the old one). Request threads (Undertow's pattern formats) only queue their line,
 * lock-free: a request thread never waits for another, even one the OS has descheduled while it writes; the
 * worker's recorder thread {@link #append}s its lines to the batch directly. {@link #flush} (a timer, or a request thread
 * that finds a lot queued and the writer free) writes what is queued in whole lines, in one {@code write} to a file
 * opened with O_APPEND, so lines of different processes never mix. A line queued before {@code reopen} lands in
 * the old file, one after it in the new: none is lost.
 */
final class LogFile implements AccessLogReceiver, AutoCloseable {

    private static final int FLUSH_AT = 64 * 1024;

    private final Path path;
    private final ConcurrentLinkedQueue<byte[]> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedBytes = new AtomicInteger();
    private final ReentrantLock writer = new ReentrantLock();
    private final Batch batch = new Batch();
    private FileChannel channel;

    private LogFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** @param path the file, or null for standard output */
    static LogFile open(Path path) throws IOException {
        return new LogFile(path, channel(path));
    }

    private static FileChannel channel(Path path) throws IOException {
        if (path == null) {
            return new FileOutputStream(FileDescriptor.out).getChannel();
        }
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** A line from an Undertow access log pattern. */
    @Override
    public void logMessage(String message) {
        log(AccessLineFormat.utf8Line(new StringBuilder(message.length() + 1).append(message)));
    }

    /** Queues one line: its UTF-8 bytes, ending in a newline. */
    void log(byte[] line) {
        queued.add(line);
        if (queuedBytes.addAndGet(line.length) >= FLUSH_AT && writer.tryLock()) {
            try {
                writeQueued();
            } finally {
                writer.unlock();
            }
        }
    }

    /**
     * Appends one line straight to the batch (written once it passes 64 KiB, and by the periodic {@link #flush}):
     * for the worker's recorder thread, which writes lines one at a time and may wait for the writer.
     */
    void append(byte[] line) {
        writer.lock();
        try {
            batch.writeBytes(line);
            if (batch.size() >= FLUSH_AT) {
                writeBatch();
            }
        } finally {
            writer.unlock();
        }
    }

    void flush() {
        writer.lock();
        try {
            writeQueued();
        } finally {
            writer.unlock();
        }
    }

    /** Writes what is queued to the current file, then opens the path anew. */
    void reopen() throws IOException {
        writer.lock();
        try {
            writeQueued();
            if (path != null) {
                FileChannel old = channel;
                channel = channel(path);
                old.close();
            }
        } finally {
            writer.unlock();
        }
    }

    /** Holding {@code writer}. */
    private void writeQueued() {
        for (byte[] line = queued.poll(); line != null; line = queued.poll()) {
            queuedBytes.addAndGet(-line.length);
            batch.writeBytes(line);
            if (batch.size() >= FLUSH_AT) {
                writeBatch();
            }
        }
        writeBatch();
    }

    private void writeBatch() {
        if (batch.size() == 0) {
            return;
        }
        ByteBuffer bytes = batch.bytes();
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            System.err.println("warhorse: cannot write the access log " + (path == null ? "(stdout)" : path) + ": " + e);
        } finally {
            batch.reset();
        }
    }

    /** The lines waiting to be written, in one buffer that is written in place, not copied. */
    private static final class Batch extends ByteArrayOutputStream {
        Batch() {
            super(FLUSH_AT * 2);
        }

        ByteBuffer bytes() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    @Override
    public void close() throws IOException {
        writer.lock();
        try {
            writeQueued();
            if (path != null) {
                channel.close();
            }
        } finally {
            writer.unlock();
        }
    }
}
