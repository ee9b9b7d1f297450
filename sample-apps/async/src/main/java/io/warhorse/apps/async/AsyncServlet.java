package io.warhorse.apps.async;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /async?ms=N}: answers {@code async ok N ms} after N ms (default 100, at most 60000) without holding
 * a request thread: {@link #doGet} starts async and returns at once; the "async-scheduler" thread writes the
 * answer and completes. Thousands can wait on one thread, which is the point of the async worker kind.
 */
@WebServlet(urlPatterns = "/async", asyncSupported = true)
public class AsyncServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Headroom over N before the container gives up on the request (its default is 30 s, less than MAX). */
    private static final long TIMEOUT_HEADROOM_MS = 10_000;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int ms = Millis.parseOrReject(request, response);
        if (ms < 0) {
            return;
        }
        ScheduledExecutorService scheduler = SchedulerListener.scheduler(getServletContext());
        AsyncContext async = request.startAsync();
        async.setTimeout(ms + TIMEOUT_HEADROOM_MS);
        try {
            if (scheduler == null) {
                throw new RejectedExecutionException("the app is stopping");
            }
            scheduler.schedule(() -> finish(async, ms), ms, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            async.complete();
        }
    }

    /** Runs on the "async-scheduler" thread. */
    private static void finish(AsyncContext async, int ms) {
        try {
            HttpServletResponse response = (HttpServletResponse) async.getResponse();
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("async ok " + ms + " ms\n");
            async.complete();
        } catch (IOException | IllegalStateException gone) {
            // The client left or the request timed out; the container has already ended it.
        }
    }
}
