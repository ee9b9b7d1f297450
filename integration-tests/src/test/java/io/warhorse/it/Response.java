package io.warhorse.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.util.Locale;

/**
 * One HTTP/1.1 response read off a raw socket: its status ("none" when the connection ended first) and head; the
 * body (Content-Length or chunked) is read and dropped, so the next response can follow on the same stream.
 */
record Response(String status, String head) {

    static Response read(InputStream in) throws IOException {
        String head;
        try {
            head = line(in);
        } catch (SocketException e) {
            return new Response("none", "");
        }
        if (head.isEmpty()) {
            return new Response("none", "");
        }
        String status = head.length() >= 12 ? head.substring(9, 12) : head;
        long length = 0;
        boolean chunked = false;
        for (String line = line(in); !line.equals("\r\n") && !line.isEmpty(); line = line(in)) {
            head += line;
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size = chunkSize(in); size > 0; size = chunkSize(in)) {
                in.readNBytes((int) size + 2);
            }
            line(in);
        } else {
            in.readNBytes((int) length);
        }
        return new Response(status, head);
    }

    private static long chunkSize(InputStream in) throws IOException {
        String line = line(in).strip();
        int extension = line.indexOf(';');
        return Long.parseLong(extension < 0 ? line : line.substring(0, extension), 16);
    }

    /** A line with its CRLF, or what came before the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1; c = in.read()) {
            line.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return line.toString();
    }
}
