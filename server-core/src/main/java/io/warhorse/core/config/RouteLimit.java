package io.warhorse.core.config;

/**
 * One entry of {@code warhorse.limits.routes}: a bulkhead for the requests whose path matches {@code path}.
 *
 * @param path          a servlet-style pattern on the full request path: exact ({@code /shop/cart}), prefix
 *                      ({@code /shop/query/*}, which also matches {@code /shop/query}) or extension ({@code *.pdf})
 * @param maxConcurrent requests on the route at once
 * @param queue         requests that may wait for a slot; one more is answered 503 at once
 */
public record RouteLimit(String path, int maxConcurrent, int queue) {}
