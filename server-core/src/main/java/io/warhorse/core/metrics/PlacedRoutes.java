package io.warhorse.core.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warhorse.core.spi.Place;
import java.util.Map;

/**
 * The routes that do not run on their worker kind's own threads, for the status page: moved by a cooperative kind
 * because their requests held its scarce threads, or pinned by {@code offload.routes}. Each worker reports them as
 * gauges {@code route.moved|APP|MAPPING} and {@code route.pinned|APP|MAPPING} whose value is the {@link Place}'s
 * ordinal; this lists them per worker as {@code {worker, app, route, runs_on, why}} ("moved back" for a moved route
 * that its refuge sent back to the kind's threads). Runs on the admin listener's
 * thread.
 */
final class PlacedRoutes {

    private static final Map<String, String> WHY = Map.of("route.moved|", "moved", "route.pinned|", "pinned");

    private PlacedRoutes() {}

    static void write(Map<Integer, Map<String, Double>> gauges, ArrayNode rows) {
        gauges.forEach((worker, values) -> values.forEach((name, value) -> WHY.forEach((prefix, why) -> {
            if (name.startsWith(prefix)) {
                String[] parts = name.substring(prefix.length()).split("\\|", 2);
                ObjectNode row = rows.addObject();
                row.put("worker", worker);
                row.put("app", parts[0]);
                row.put("route", parts.length < 2 ? "-" : parts[1]);
                row.put("runs_on", place(value));
                row.put("why", why.equals("moved") && (int) (double) value == Place.KIND.ordinal() ? "moved back" : why);
            }
        })));
    }

    private static String place(double ordinal) {
        int index = (int) ordinal;
        return index >= 0 && index < Place.values().length ? Place.values()[index].spelled() : "?";
    }
}
