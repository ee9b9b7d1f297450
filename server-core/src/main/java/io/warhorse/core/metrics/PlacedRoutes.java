package io.warhorse.core.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import io.warhorse.core.spi.Place;
import java.io.IOException;
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

    /** Writes the rows as a JSON array. */
    static void write(Map<Integer, Map<String, Double>> gauges, JsonGenerator json) throws IOException {
        json.writeStartArray();
        for (Map.Entry<Integer, Map<String, Double>> worker : gauges.entrySet()) {
            for (Map.Entry<String, Double> gauge : worker.getValue().entrySet()) {
                for (Map.Entry<String, String> why : WHY.entrySet()) {
                    if (gauge.getKey().startsWith(why.getKey())) {
                        row(json, worker.getKey(), gauge.getKey().substring(why.getKey().length()), gauge.getValue(), why.getValue());
                    }
                }
            }
        }
        json.writeEndArray();
    }

    private static void row(JsonGenerator json, int worker, String route, double value, String why) throws IOException {
        String[] parts = route.split("\\|", 2);
        json.writeStartObject();
        json.writeNumberField("worker", worker);
        json.writeStringField("app", parts[0]);
        json.writeStringField("route", parts.length < 2 ? "-" : parts[1]);
        json.writeStringField("runs_on", place(value));
        json.writeStringField("why", why.equals("moved") && (int) value == Place.KIND.ordinal() ? "moved back" : why);
        json.writeEndObject();
    }

    private static String place(double ordinal) {
        int index = (int) ordinal;
        return index >= 0 && index < Place.values().length ? Place.values()[index].spelled() : "?";
    }
}
