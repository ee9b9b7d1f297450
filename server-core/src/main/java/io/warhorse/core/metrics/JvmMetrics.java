package io.warhorse.core.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jvm.BufferPoolMetricSet;
import com.codahale.metrics.jvm.CachedThreadStatesGaugeSet;
import com.codahale.metrics.jvm.FileDescriptorRatioGauge;
import com.codahale.metrics.jvm.GarbageCollectorMetricSet;
import com.codahale.metrics.jvm.MemoryUsageGaugeSet;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * The JVM's gauges in a process's registry, from Dropwizard's metrics-jvm (heap and pools, GC, thread states,
 * file descriptors, buffer pools) plus the virtual-thread scheduler's own MXBean (JDK 24+). Thread states are
 * cached for a few seconds: reading them walks every thread.
 */
public final class JvmMetrics {

    private JvmMetrics() {}

    public static void register(MetricRegistry registry) {
        registry.register("jvm.memory", new MemoryUsageGaugeSet());
        registry.register("jvm.gc", new GarbageCollectorMetricSet());
        registry.register("jvm.threads", new CachedThreadStatesGaugeSet(5, TimeUnit.SECONDS));
        registry.register("jvm.buffers", new BufferPoolMetricSet(ManagementFactory.getPlatformMBeanServer()));
        registry.register("jvm.fd.usage", new FileDescriptorRatioGauge());
        registerVirtualThreads(registry);
    }

    private static void registerVirtualThreads(MetricRegistry registry) {
        try {
            jdk.management.VirtualThreadSchedulerMXBean scheduler =
                    ManagementFactory.getPlatformMXBean(jdk.management.VirtualThreadSchedulerMXBean.class);
            if (scheduler == null) {
                return;
            }
            registry.register("jvm.virtual-threads.mounted", (Gauge<Integer>) scheduler::getMountedVirtualThreadCount);
            registry.register("jvm.virtual-threads.queued", (Gauge<Long>) scheduler::getQueuedVirtualThreadCount);
            registry.register("jvm.virtual-threads.carriers", (Gauge<Integer>) scheduler::getPoolSize);
        } catch (IllegalArgumentException | LinkageError e) {
            // a JDK without the jdk.management module or this MXBean: no virtual-thread gauges
        }
    }
}
