package io.warhorse.core.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The buffer-pool gauges, read from the pools' MXBeans under Dropwizard's names. */
class JvmMetricsTest {

    @Test
    void directAndMappedPoolsAreGaugedUnderDropwizardsNamesAndFollowTheirMXBeans() {
        MetricRegistry registry = new MetricRegistry();
        JvmMetrics.register(registry);
        for (String pool : new String[] {"direct", "mapped"}) {
            for (String gauge : new String[] {"count", "used", "capacity"}) {
                assertTrue(registry.getGauges().containsKey("jvm.buffers." + pool + "." + gauge),
                        pool + "." + gauge + " in " + registry.getGauges().keySet());
            }
        }
        assertTrue(registry.getGauges().keySet().stream().noneMatch(name -> name.contains("non-volatile")),
                registry.getGauges().keySet().toString());

        ByteBuffer held = ByteBuffer.allocateDirect(1 << 20);
        assertTrue(value(registry, "jvm.buffers.direct.capacity") >= held.capacity());
        assertTrue(value(registry, "jvm.buffers.direct.count") >= 1);
        Reference.reachabilityFence(held);
    }

    private static long value(MetricRegistry registry, String name) {
        Gauge<?> gauge = registry.getGauges().get(name);
        return ((Number) gauge.getValue()).longValue();
    }
}
