package io.warhorse.core.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jvm.CachedThreadStatesGaugeSet;
import com.codahale.metrics.jvm.FileDescriptorRatioGauge;
import com.codahale.metrics.jvm.GarbageCollectorMetricSet;
import com.codahale.metrics.jvm.MemoryUsageGaugeSet;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The JVM's gauges in a process's registry, from Dropwizard's metrics-jvm (heap and pools, GC, thread states,
 * file descriptors, buffer pools), the resident memory, plus the virtual-thread scheduler's own MXBean (JDK 24+). Thread states are
 * cached for a few seconds: reading them walks every thread.
 */
public final class JvmMetrics {

    /** The process's resident memory in bytes (VmRSS), shipped with every snapshot; absent where /proc is not. */
    public static final String RSS = "process.rss.bytes";

    private static final Set<String> BUFFER_POOLS = Set.of("direct", "mapped");

    private JvmMetrics() {}

    /** VmRSS of {@code /proc/self/status} in bytes; null (the gauge is skipped) where it cannot be read. */
    static Long residentBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    public static void register(MetricRegistry registry) {
        registry.register("jvm.memory", new MemoryUsageGaugeSet());
        registry.register("jvm.gc", new GarbageCollectorMetricSet());
        registry.register("jvm.threads", new CachedThreadStatesGaugeSet(5, TimeUnit.SECONDS));
        registerBufferPools(registry);
        registry.register("jvm.fd.usage", new FileDescriptorRatioGauge());
        registry.register(RSS, (Gauge<Long>) JvmMetrics::residentBytes);
        registerVirtualThreads(registry);
    }

    /**
     * The direct and mapped buffer pools, under the names of Dropwizard's BufferPoolMetricSet
     * ({@code jvm.buffers.direct.count}, {@code .used}, {@code .capacity}), read from their MXBeans directly: that
     * set reads them as attributes of the platform MBean server, which a worker does not build while it boots.
     */
    private static void registerBufferPools(MetricRegistry registry) {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (BUFFER_POOLS.contains(pool.getName())) {
                String prefix = "jvm.buffers." + pool.getName();
                registry.register(prefix + ".count", (Gauge<Long>) pool::getCount);
                registry.register(prefix + ".used", (Gauge<Long>) pool::getMemoryUsed);
                registry.register(prefix + ".capacity", (Gauge<Long>) pool::getTotalCapacity);
            }
        }
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
