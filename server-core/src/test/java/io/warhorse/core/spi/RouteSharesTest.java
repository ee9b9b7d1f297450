package io.warhorse.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.ServletInfo;
import jakarta.servlet.http.HttpServlet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How large a route's share is, and when a worker's apps count as one route (shares off). */
class RouteSharesTest {

    @Test
    void aShareIsTheFractionOfTheRunningCapacityRoundedUpAndAtLeastOne() {
        assertEquals(16, RouteShares.perRoute(0.5, 32));
        assertEquals(500, RouteShares.perRoute(0.5, 1000));
        assertEquals(2, RouteShares.perRoute(0.5, 3));
        assertEquals(1, RouteShares.perRoute(0.01, 4));
        assertEquals(0, RouteShares.perRoute(1, 32), "1 turns the shares off");
    }

    @Test
    void oneMappingIsOneRouteAndTheDefaultServletDoesNotCount() {
        assertFalse(RouteShares.severalRoutes(List.of(app(servlet("default", "/"), servlet("hello", "/hello")))));
        assertFalse(RouteShares.severalRoutes(List.of(app(servlet("default", "/")))));
        assertTrue(RouteShares.severalRoutes(List.of(app(servlet("hello", "/hello", "/hi")))), "two mappings");
        assertTrue(RouteShares.severalRoutes(List.of(app(servlet("query", "/query")), app(servlet("health", "/health")))),
                "one route in each of two apps: they share the worker");
    }

    private static DeploymentInfo app(ServletInfo... servlets) {
        return new DeploymentInfo().addServlets(servlets);
    }

    private static ServletInfo servlet(String name, String... mappings) {
        return new ServletInfo(name, HttpServlet.class).addMappings(mappings);
    }
}
