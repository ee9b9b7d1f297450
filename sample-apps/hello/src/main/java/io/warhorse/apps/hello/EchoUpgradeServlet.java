package io.warhorse.apps.hello;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;

/**
 * {@code GET /echo-upgrade} with {@code Upgrade: echo}: answers 101 Switching Protocols (the Servlet API's
 * protocol upgrade, the mechanism WebSocket uses), then sends back every byte it receives until the client
 * closes. Shows that a proxy in front passes an upgrade through. Without the header: 426.
 */
@WebServlet(value = "/echo-upgrade", asyncSupported = true)
public class EchoUpgradeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!"echo".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            response.setStatus(426);
            response.setHeader("Upgrade", "echo");
            response.getWriter().write("send Upgrade: echo\n");
            return;
        }
        response.setStatus(HttpServletResponse.SC_SWITCHING_PROTOCOLS);
        response.setHeader("Upgrade", "echo");
        response.setHeader("Connection", "Upgrade");
        request.upgrade(Echo.class);
    }

    /** The upgraded connection: echoes what it reads, on the container's I/O callbacks. */
    public static class Echo implements HttpUpgradeHandler {
        @Override
        public void init(WebConnection connection) {
            try {
                ServletInputStream in = connection.getInputStream();
                ServletOutputStream out = connection.getOutputStream();
                in.setReadListener(new ReadListener() {
                    private final byte[] buffer = new byte[4096];

                    @Override
                    public void onDataAvailable() throws IOException {
                        while (in.isReady()) {
                            int read = in.read(buffer);
                            if (read < 0) {
                                return;
                            }
                            out.write(buffer, 0, read);
                            out.flush();
                        }
                    }

                    @Override
                    public void onAllDataRead() {
                        try {
                            connection.close();
                        } catch (Exception e) {
                            // already closed by the client
                        }
                    }

                    @Override
                    public void onError(Throwable error) {
                        // the client went away
                    }
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void destroy() {
        }
    }
}
