package io.warhorse.core.spi;

import com.codahale.metrics.Counter;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.RequestLimit;
import io.undertow.servlet.api.Deployment;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.ServletInfo;
import io.undertow.servlet.spec.ServletContextImpl;
import io.undertow.util.AttachmentKey;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Isolation by default ({@code limits.route-share}): each route of a worker's apps, a servlet mapping as the request
 * metrics key it, may run at most {@code share} of the worker's {@code running} capacity at once, and keep up to
 * {@code waiting} more suspended in a queue of its own (holding no thread); one more is answered 503 with
 * Retry-After at once and counted in {@code requests.rejected.share}. So one slow route leaves the rest of the
 * worker to the others. Off while the worker's apps have a single route, the default servlet not counted; a request
 * a hand-made bulkhead took ({@link #OWN_BULKHEAD}) is not limited again.
 *
 * <p>Undertow learns the route in {@code ServletInitialHandler} on the I/O thread and dispatches at once; the
 * handlers it lets a deployment wrap around the servlet run after that dispatch, on the request thread, too late
 * to refuse without taking a thread. So this wraps the handler in front of {@code ServletInitialHandler} (an
 * initial handler chain wrapper) and asks the deployment's servlet paths for the same match, from their cache.
 * Configured on the worker's main thread; the handlers run on the XNIO I/O thread.
 */
public final class RouteShares {

    /** Put on an exchange by a bulkhead of {@code limits.routes} that admitted it. */
    public static final AttachmentKey<Boolean> OWN_BULKHEAD = AttachmentKey.create(Boolean.class);

    private final int maxConcurrent;
    private final int queue;
    private final Counter rejected;
    private final List<Deployment> deployments = new CopyOnWriteArrayList<>();
    /** Null until the first request, when every app is deployed and its routes can be counted. */
    private volatile Boolean active;

    /**
     * @param share   {@code limits.route-share}: 1 turns the shares off
     * @param running requests a worker runs at once (its threads, or its connections when nothing waits)
     * @param waiting requests a worker lets wait for a thread; a route may use all of them
     */
    RouteShares(double share, int running, int waiting, Counter rejected) {
        this.maxConcurrent = perRoute(share, running);
        this.queue = waiting;
        this.rejected = rejected;
        this.active = maxConcurrent == 0 ? Boolean.FALSE : null;
    }

    /** Requests one route may run at once: {@code share} of {@code running}, rounded up; 0 when shares are off. */
    static int perRoute(double share, int running) {
        return share >= 1 ? 0 : Math.max(1, (int) Math.ceil(share * running));
    }

    /** Routes of {@code deployment} get their shares; called before it is deployed. */
    void configure(DeploymentInfo deployment) {
        if (Boolean.FALSE.equals(active)) {
            return;
        }
        AppRoutes app = new AppRoutes();
        deployment.addServletExtension((info, context) -> {
            app.deployment = ((ServletContextImpl) context).getDeployment();
            deployments.add(app.deployment);
        });
        deployment.addInitialHandlerChainWrapper(next -> exchange -> app.handle(exchange, next));
    }

    /** True when the worker's apps have more than one route, the default servlet not counted. */
    static boolean severalRoutes(List<DeploymentInfo> apps) {
        long routes = apps.stream().flatMap(app -> app.getServlets().values().stream())
                .filter(servlet -> !servlet.getName().equals("default"))
                .map(ServletInfo::getMappings).mapToLong(List::size).sum();
        return routes > 1;
    }

    private boolean active() {
        Boolean current = active;
        if (current == null) {
            current = severalRoutes(deployments.stream().map(Deployment::getDeploymentInfo).toList());
            active = current;
        }
        return current;
    }

    private HttpHandler limited(String route, HttpHandler next) {
        HttpHandler refuse = exchange -> {
            rejected.inc();
            AdmissionLimit.reject(exchange, "the route " + route + " holds its share of this worker ("
                    + maxConcurrent + " at once" + (queue > 0 ? " and " + queue + " waiting" : "")
                    + ", limits.route-share)");
        };
        if (queue == 0) {
            return new AdmissionLimit(maxConcurrent, next, refuse);
        }
        RequestLimit limit = new RequestLimit(maxConcurrent, queue);
        limit.setFailureHandler(refuse);
        return exchange -> limit.handleRequest(exchange, next);
    }

    /** One app's routes, each with its limit, made on its first request. */
    private final class AppRoutes {
        volatile Deployment deployment;
        private final ConcurrentMap<String, HttpHandler> routes = new ConcurrentHashMap<>();

        void handle(HttpServerExchange exchange, HttpHandler next) throws Exception {
            Deployment app = deployment;
            if (app == null || exchange.getAttachment(OWN_BULKHEAD) != null || !active()) {
                next.handleRequest(exchange);
                return;
            }
            String route = app.getServletPaths().getServletHandlerByPath(exchange.getRelativePath()).getMatchString();
            if (route == null) {
                route = "";
            }
            HttpHandler handler = routes.get(route);
            if (handler == null) {
                handler = routes.computeIfAbsent(route, key -> limited(key, next));
            }
            handler.handleRequest(exchange);
        }
    }
}
