package io.warhorse.core.spi;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.undertow.servlet.api.Deployment;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.ServletInfo;
import io.undertow.servlet.handlers.ServletHandler;
import io.undertow.servlet.spec.ServletContextImpl;
import io.warhorse.core.config.RoutePin;
import io.warhorse.core.config.Settings;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a cooperative kind (async, virtual) defends itself ({@code warhorse.offload.*}): every servlet of every app
 * becomes a {@link Route}, its own executor, placed where {@code offload.routes} pins it or else on the kind's own
 * threads; when the kind's watchdog catches {@code offload.strikes} requests of one route holding its scarce
 * threads ({@link #caught}; requests caught less than the kind's threshold apart count once, since a busy machine
 * stalls several at a time, and the strikes must fall within ten of the route's requests per strike needed, so a
 * rare catch among many quick requests does not add up), the route moves to the kind's {@code refuge} (a platform
 * pool for the virtual kind; for the async kind, virtual threads for a route whose requests wait and its platform
 * pool for one whose requests compute, {@link #alsoRefuge}): logged once with the last stack, counted in
 * {@code routes.moved}, and shown by a gauge {@code route.moved|APP|MAPPING} (the place's ordinal) that the master's
 * status page lists, as it does {@code route.pinned|APP|MAPPING} for pins. A kind whose watchdog only samples
 * ({@link #trialFirst}) puts the route on trial instead, and its refuge, which measures, gives the verdict
 * ({@link #judged}): moved, kept, or, for a moved route, moved back; a route cleared so is quiet for a while.
 *
 * <p>Servlets are given their routes when the app's deployment is complete, so that servlets added by the app's
 * initializers get one too; Undertow's path matches are then rebuilt to pick them up. A servlet that already has an
 * executor (the async kind's JSP pages) keeps it. Configured on the worker's main thread; {@link #dispatch} runs on
 * the I/O thread, {@link #caught} on the watchdog's.
 */
public final class Offload {

    /** The counter of routes moved. */
    public static final String MOVED = "routes.moved";
    private static final Logger LOG = LoggerFactory.getLogger(Offload.class);
    /** Strikes count only within this many of the route's requests per strike needed (see {@link Route}). */
    private static final long WINDOW = 10;
    /** Requests of a route cleared by its refuge during which it is not accused again; doubles each time. */
    static final long QUIET = 1000;

    private final Settings.Offload settings;
    private final Map<Place, Placement> placements = new EnumMap<>(Place.class);
    private final Place refuge;
    private final Map<Place, String> refugeLimits = new EnumMap<>(Place.class);
    private final MetricRegistry metrics;
    private final Counter moved;
    private final long spacingNanos;
    private final LongSupplier clock;
    private boolean trials;
    private long warmUp;

    Offload(Settings.Offload settings, Place refuge, String refugeLimits, Duration spacing, MetricRegistry metrics,
            LongSupplier clock) {
        this.settings = settings;
        this.refuge = refuge;
        this.refugeLimits.put(refuge, refugeLimits);
        this.metrics = metrics;
        this.moved = metrics.counter(MOVED);
        this.spacingNanos = spacing.toNanos();
        this.clock = clock;
    }

    /**
     * An offload for one worker; give it the kind's {@link #place placement} of every {@link Place}, then wrap the
     * kind's runner with {@link #around}.
     *
     * @param refuge       where a caught route moves
     * @param refugeLimits how the refuge is bounded, for the log line ("at most 500 at once")
     * @param spacing      the kind's threshold: requests of one route caught less than this apart count as one strike
     */
    public static Offload create(KindContext context, Place refuge, String refugeLimits, Duration spacing) {
        return new Offload(context.settings().offload(), refuge, refugeLimits, spacing, context.metrics(), System::nanoTime);
    }

    /**
     * A second place a caught route may move to, besides the refuge given to {@link #create}, when the kind's
     * watchdog says so ({@link #caught(Route, Place, String, StackTraceElement[])}); {@code limits} as for the refuge.
     */
    public Offload alsoRefuge(Place place, String limits) {
        if (place == Place.KIND) {
            throw new IllegalArgumentException("a route is moved away from the kind's own threads, not to them");
        }
        refugeLimits.put(place, limits);
        return this;
    }

    /**
     * A caught route is put on trial instead of moved: while on trial, each of its requests runs in the refuge when
     * a thread is free there (else on the kind's own threads), and the refuge, which can measure a request exactly,
     * delivers the verdict with {@link #judged}. For a watchdog that only samples (the virtual kind's).
     */
    public Offload trialFirst() {
        trials = true;
        return this;
    }

    /**
     * Catches among a route's first {@code requests} requests do not count: they run cold code (class loading, the
     * interpreter), measured at several times the CPU of the same requests warm. For a watchdog that measures CPU.
     */
    public Offload warmUp(long requests) {
        warmUp = requests;
        return this;
    }

    /** Routes at {@code place} run through {@code placement}. */
    public Offload place(Place place, Placement placement) {
        placements.put(place, placement);
        return this;
    }

    /** {@code runner}, which also gives each servlet of each app its route. */
    public RequestRunner around(RequestRunner runner) {
        if (!placements.keySet().containsAll(List.of(Place.values()))) {
            throw new IllegalStateException("a placement for every place is needed, got " + placements.keySet());
        }
        return new RoutedRunner(runner, this);
    }

    void configure(DeploymentInfo deployment) {
        deployment.addThreadSetupAction(new Dispatches());
        deployment.addDeploymentCompleteListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                assign(((ServletContextImpl) event.getServletContext()).getDeployment());
            }
        });
    }

    private void assign(Deployment deployment) {
        String context = deployment.getDeploymentInfo().getContextPath();
        String app = context.isEmpty() ? "/" : context;
        for (ServletHandler handler : deployment.getServlets().getServletHandlers().values()) {
            ServletInfo servlet = handler.getManagedServlet().getServletInfo();
            if (servlet.getExecutor() != null) {
                continue;
            }
            List<String> mappings = servlet.getMappings().isEmpty() ? List.of("(servlet " + servlet.getName() + ")") : servlet.getMappings();
            RoutePin pin = settings.pins().stream().filter(p -> mappings.contains(p.path())).findFirst().orElse(null);
            Route route = new Route(app, mappings, pin == null ? Place.KIND : Place.of(pin.runOn()), pin != null, this);
            servlet.setExecutor(route);
            if (pin != null) {
                show("route.pinned", route);
            }
        }
        deployment.getServletPaths().invalidate();
    }

    /**
     * Runs {@code task} where {@code route} runs now. A task queued on the kind's own threads follows its route if
     * the route moved while it waited (the async kind's queue fills before its watchdog can see the first overlong
     * request); if the new place is full, it runs where it is, as it would have without the move.
     */
    void dispatch(Route route, Runnable task) {
        Place at = route.place();
        if (at == Place.KIND && route.onTrial()) {
            try {
                placements.get(refuge).execute(route, task);
                return;
            } catch (RejectedExecutionException e) {
                // no thread free there: the request runs on the kind's own threads, unmeasured
            }
        }
        if (at != Place.KIND || route.pinned()) {
            placements.get(at).execute(route, task);
            return;
        }
        placements.get(at).execute(route, () -> {
            Place now = route.place();
            if (now == Place.KIND) {
                route.started();
                task.run();
                return;
            }
            try {
                placements.get(now).execute(route, task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        });
    }

    /**
     * The kind's watchdog caught a request of {@code route} holding its threads ({@code what} says how, for the
     * log; {@code stack} is where the request is now). At the {@code offload.strikes}th, the route moves to the
     * refuge (or, with {@link #trialFirst}, goes on trial), unless moving is off or the route is pinned. Returns true
     * if this call moved it.
     */
    public boolean caught(Route route, String what, StackTraceElement[] stack) {
        return caught(route, refuge, what, stack);
    }

    /**
     * As {@link #caught(Route, String, StackTraceElement[])}, moving the route to {@code to} (the refuge, or a place
     * given to {@link #alsoRefuge}) if this catch is the one that moves it: the kind's watchdog tells from the
     * caught request where its route belongs (the async kind's: virtual threads for one that waits, the platform
     * pool for one that computes).
     */
    public boolean caught(Route route, Place to, String what, StackTraceElement[] stack) {
        if (!refugeLimits.containsKey(to)) {
            throw new IllegalArgumentException(to + " is not a refuge of this kind: " + refugeLimits.keySet());
        }
        int strikes = route.strike(clock.getAsLong(), spacingNanos, WINDOW * settings.strikes(), warmUp);
        if (!settings.enabled() || route.pinned() || strikes < settings.strikes()) {
            return false;
        }
        if (trials) {
            if (route.accuse(new Route.Trial(what, stack, strikes))) {
                LOG.info("ROUTE ON TRIAL (pid:{}): {}: {} ({} such requests): its next requests run on {} while a "
                        + "thread is free there, to measure their CPU time exactly", ProcessHandle.current().pid(),
                        route, what, strikes, refuge.described());
            }
            return false;
        }
        return move(route, to, what, strikes, stack);
    }

    /**
     * The refuge measured requests of {@code route} ({@code evidence}, for the log): whether they hold the kind's
     * threads. A route on trial that does is moved; one on trial or moved that does not goes back to the kind's own
     * threads and is not accused again for a while ({@value #QUIET} of its requests, twice that the next time).
     */
    public void judged(Route route, boolean holdsThreads, String evidence) {
        if (holdsThreads) {
            Route.Trial trial = route.endTrial();
            if (trial != null) {
                move(route, refuge, trial.what() + "; " + evidence, trial.strikes(), trial.stack());
            }
        } else if (route.clear(null, QUIET)) {
            LOG.info("ROUTE KEPT (pid:{}): {} stays on {}: {}", ProcessHandle.current().pid(), route,
                    Place.KIND.described(), evidence);
        } else {
            release(route, evidence);
        }
    }

    private boolean move(Route route, Place to, String what, int strikes, StackTraceElement[] stack) {
        if (!route.move(Place.KIND, to)) {
            return false;
        }
        LOG.warn("ROUTE MOVED (pid:{}): {}: {} ({} such requests so far); its requests now run on {} ({}), where they cannot "
                + "starve the other routes. Hint: fix the blocking or CPU-heavy code, or place the route yourself with "
                + "offload.routes = [{ path = \"{}\", run-on = ... }]; offload.enabled = false turns moving off. "
                + "Stack of the request:{}", ProcessHandle.current().pid(), route, what, strikes, to.described(),
                refugeLimits.get(to), route.mappings().getFirst(), format(stack));
        show("route.moved", route);
        moved.inc(); // last, so whoever sees the count sees the line and the gauge
        return true;
    }

    /**
     * The refuge found that {@code route} does not belong there ({@code why}, for the log): it goes back to the kind's
     * own threads, and is not caught again for a while. Returns true if this call moved it back.
     */
    public boolean release(Route route, String why) {
        if (!route.clear(refuge, QUIET)) {
            return false;
        }
        LOG.warn("ROUTE MOVED BACK (pid:{}): {}: {}; its requests run on {} again, and it is not caught again for "
                + "its next {}+ requests. Hint: pin it with offload.routes if it belongs elsewhere.",
                ProcessHandle.current().pid(), route, why, Place.KIND.described(), QUIET);
        return true;
    }

    private void show(String prefix, Route route) {
        for (String mapping : route.mappings()) {
            metrics.gauge(prefix + "|" + route.app() + "|" + mapping, () -> (Gauge<Integer>) () -> route.place().ordinal());
        }
    }

    /** A stack as log lines, as a thread dump shows it. */
    public static String format(StackTraceElement[] stack) {
        StringBuilder text = new StringBuilder();
        for (StackTraceElement frame : stack) {
            text.append("\n\tat ").append(frame);
        }
        return text.toString();
    }
}
