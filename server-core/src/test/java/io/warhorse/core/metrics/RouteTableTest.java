package io.warhorse.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The busiest routes over the last window, from cumulative per-route histograms on a simulated clock. */
class RouteTableTest {

    private static MergedMetrics.Histogram histogram(long requests, int bucket, long errors) {
        long[] counts = new long[LatencyHistogram.BOUNDS.length + 1];
        counts[bucket] = requests;
        return new MergedMetrics.Histogram(counts, 0, errors);
    }

    @Test
    void ranksRoutesByTheirRateOverTheWindow() {
        RouteTable table = new RouteTable(60_000);
        for (int second = 0; second <= 120; second++) {
            // /old was busy long ago and is idle now; /hot gets 50 a second, 1 in 10 of them a 5xx
            table.sample(second * 1000L, Map.of(
                    "request.duration|/app|/old", histogram(100_000, 1, 0),
                    "request.duration|/app|/hot", histogram(50L * second, 4, 5L * second),
                    "request.duration||", histogram(1, 0, 0)));
        }
        RouteTable.Route hot = table.busiest().get(0);
        assertEquals("/app", hot.app());
        assertEquals("/hot", hot.route());
        assertEquals(50, hot.perSecond(), 0.01);
        assertTrue(hot.p99Ms() > 10 && hot.p99Ms() <= 25, "p99 inside its 10-25 ms bucket: " + hot.p99Ms());
        assertEquals(300, hot.errors(), "the 5xx of the last 60 s (marks every 10 s)");
        RouteTable.Route old = table.busiest().get(1);
        assertEquals("/old", old.route());
        assertEquals(0, old.perSecond());
        assertTrue(Double.isNaN(old.p50Ms()), "no request in the window, no percentile");
        assertEquals(100_000, old.requests());
        assertEquals("-", table.busiest().get(2).app(), "a request outside any app");
    }
}
