package io.warhorse.core.logging;

import io.undertow.server.handlers.accesslog.AccessLogReceiver;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A log file that several worker processes append to and that {@link #reopen} swaps for a new file at the same path
 * (after logrotate renamed the old one). Lines collect in a buffer and go out in whole lines, in one
 * {@code write} to a file opened with O_APPEND, so lines of different processes never mix. A line logged before
 * {@code reopen} lands in the old file, one after it in the new: none is lost. {@link #flush} runs on a timer;
 * everything else on request threads, under this object's lock.
 */
final class LogFile implements AccessLogReceiver, AutoCloseable {

    private static final int FLUSH_AT = 32 * 1024;

    private final Path path;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(FLUSH_AT * 2);
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

    @Override
    public void logMessage(String message) {
        byte[] line = (message + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            pending.writeBytes(line);
            if (pending.size() >= FLUSH_AT) {
                flushLocked();
            }
        }
    }

    synchronized void flush() {
        flushLocked();
    }

    /** Writes what is pending to the current file, then opens the path anew. */
    synchronized void reopen() throws IOException {
        flushLocked();
        if (path != null) {
            FileChannel old = channel;
            channel = channel(path);
            old.close();
        }
    }

    private void flushLocked() {
        if (pending.size() == 0) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(pending.toByteArray());
        pending.reset();
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            System.err.println("warhorse: cannot write the access log " + (path == null ? "(stdout)" : path) + ": " + e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        flushLocked();
        if (path != null) {
            channel.close();
        }
    }
}
