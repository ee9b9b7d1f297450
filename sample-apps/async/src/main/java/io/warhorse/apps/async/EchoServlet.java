package io.warhorse.apps.async;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /echo} (or PUT): answers the request body back, with the request's content type (else
 * {@code application/octet-stream}), using only non-blocking I/O: a {@link ReadListener} reads while
 * {@code isReady()}, then a {@link WriteListener} writes while {@code isReady()}. No thread ever waits on the
 * client; the listeners' callbacks run on the container's I/O threads. Bodies over 16 MiB get 413.
 */
@WebServlet(urlPatterns = "/echo", asyncSupported = true)
public class EchoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    static final int MAX_BODY = 16 * 1024 * 1024;
    private static final int CHUNK = 8192;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AsyncContext async = request.startAsync();
        String type = request.getContentType();
        response.setContentType(type != null ? type : "application/octet-stream");
        request.getInputStream().setReadListener(new Reader(async, request.getInputStream()));
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        doPost(request, response);
    }

    private static final class Reader implements ReadListener {
        private final AsyncContext async;
        private final ServletInputStream input;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final byte[] buffer = new byte[CHUNK];
        private boolean tooLarge;

        Reader(AsyncContext async, ServletInputStream input) {
            this.async = async;
            this.input = input;
        }

        @Override
        public void onDataAvailable() throws IOException {
            int n;
            while (input.isReady() && (n = input.read(buffer)) != -1) {
                tooLarge = tooLarge || body.size() + n > MAX_BODY;
                if (!tooLarge) {
                    body.write(buffer, 0, n);
                }
            }
        }

        @Override
        public void onAllDataRead() throws IOException {
            HttpServletResponse response = (HttpServletResponse) async.getResponse();
            byte[] bytes = body.toByteArray();
            if (tooLarge) {
                response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
                response.setContentType("text/plain;charset=UTF-8");
                bytes = ("body over " + MAX_BODY + " bytes\n").getBytes(StandardCharsets.UTF_8);
            }
            response.setContentLength(bytes.length);
            ServletOutputStream output = response.getOutputStream();
            output.setWriteListener(new Writer(async, output, bytes));
        }

        @Override
        public void onError(Throwable failure) {
            async.complete();
        }
    }

    private static final class Writer implements WriteListener {
        private final AsyncContext async;
        private final ServletOutputStream output;
        private final byte[] bytes;
        private int written;

        Writer(AsyncContext async, ServletOutputStream output, byte[] bytes) {
            this.async = async;
            this.output = output;
            this.bytes = bytes;
        }

        @Override
        public void onWritePossible() throws IOException {
            while (output.isReady()) {
                if (written == bytes.length) {
                    async.complete();
                    return;
                }
                int n = Math.min(CHUNK, bytes.length - written);
                output.write(bytes, written, n);
                written += n;
            }
        }

        @Override
        public void onError(Throwable failure) {
            async.complete();
        }
    }
}
