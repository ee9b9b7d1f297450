package io.warhorse.worker.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.spi.SharedWork;
import io.warhorse.core.testing.Eventually;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The carrier watch with a fake clock and a fake JDK: a request is caught only after its carrier used the
 * threshold of CPU while it stayed mounted on it, once; parking, waiting for a carrier, moving to another carrier
 * or a carrier that gets no CPU (a busy machine) start the count again.
 */
class CarrierWatchTest {

    private static final long MS = 1_000_000;

    private final AtomicLong nanos = new AtomicLong();
    private final FakeProbe probe = new FakeProbe();
    private final List<CarrierWatch.Report> reports = new CopyOnWriteArrayList<>();
    private final CarrierWatch watch = new CarrierWatch(Duration.ofMillis(2), Duration.ofMillis(1), nanos::get, probe, reports::add);
    private final CountDownLatch release = new CountDownLatch(1);
    private Thread request;

    @AfterEach
    void finish() throws InterruptedException {
        release.countDown();
        if (request != null) {
            request.join(5000);
        }
    }

    @Test
    void catchesARequestWhoseCarrierBurnsTheThresholdWhileItStaysMounted() throws Exception {
        startRequest();
        probe.mount("worker-1");
        nanos.addAndGet(MS / 4);
        watch.check();
        assertEquals(0, probe.cpuAsks, "a request younger than half a period is not even looked at");

        step(1, 1);   // first seen mounted: the count starts
        step(1, 1);
        assertTrue(reports.isEmpty(), "1 ms of carrier CPU, under the 2 ms threshold");
        step(1, 1);
        assertEquals(1, reports.size());
        assertEquals(Duration.ofMillis(2), reports.getFirst().cpu());
        assertTrue(List.of(reports.getFirst().stack()).toString().contains("CarrierWatchTest"), "the stack of the request");
        step(5, 5);
        assertEquals(1, reports.size(), "reported once");
    }

    @Test
    void aCarrierWithoutCpuTimeOrAParkOrAnotherCarrierStartsTheCountAgain() throws Exception {
        startRequest();
        probe.mount("worker-1");
        step(1, 1);
        step(10, 0);
        assertTrue(reports.isEmpty(), "a descheduled carrier (busy machine, GC) used no CPU: nothing counted");

        step(1, 1);
        probe.state = Thread.State.WAITING;
        step(1, 1);
        probe.state = Thread.State.RUNNABLE;
        step(1, 1);
        step(1, 1);
        assertTrue(reports.isEmpty(), "it parked: the run before does not count");

        probe.mount(null);
        step(1, 1);
        probe.mount("worker-1");
        step(1, 1);
        probe.mount("worker-2");
        step(1, 1);
        step(1, 1);
        assertTrue(reports.isEmpty(), "waiting for a carrier, then another carrier: each starts over");
        step(1, 1);
        assertEquals(1, reports.size());
    }

    @Test
    void withoutCpuTimeNothingIsCaught() throws Exception {
        probe.cpuKnown = false;
        startRequest();
        probe.mount("worker-1");
        for (int i = 0; i < 10; i++) {
            step(1, 0);
        }
        assertTrue(reports.isEmpty(), "a carrier's CPU that cannot be told is no evidence");
    }

    @Test
    void aRequestWorkingForOthersIsNotCounted() throws Exception {
        CountDownLatch leading = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        request = Thread.ofPlatform().name("leader").start(watch.wrap(null, () -> SharedWork.run(() -> {
            started.countDown();
            awaitQuietly(leading);
        })));
        assertTrue(started.await(5, TimeUnit.SECONDS));
        probe.mount("worker-1");
        for (int i = 0; i < 5; i++) {
            step(1, 1);
        }
        assertTrue(reports.isEmpty(), "a session store's batch for many requests is not its route's CPU");
        leading.countDown();
    }

    @Test
    void cpuIsCountedOnlyBetweenTwoLooksThatSawTheRequestMounted() throws Exception {
        startRequest();
        probe.mount("worker-1");
        step(1, 1);
        step(1, 1);
        probe.cpuAfterLook = 5 * MS; // the watch was descheduled after it looked: other threads' CPU meanwhile
        step(1, 0);
        assertTrue(reports.isEmpty(), "CPU used after the last look is not counted: " + reports);
        probe.cpuAfterLook = 0;
        step(1, 1);
        assertEquals(1, reports.size(), "counted at the next look");
    }

    @Test
    void twoSightingsOrALateCheckProveNothing() throws Exception {
        startRequest();
        probe.mount("worker-1");
        step(1, 1);
        step(2, 2);
        assertTrue(reports.isEmpty(), "2 ms of CPU, but seen mounted only twice");
        step(5, 5);
        assertTrue(reports.isEmpty(), "the check came 5 ms after the last: it may have parked and come back");
        step(1, 1);
        assertTrue(reports.isEmpty(), "a new count from the late check: 2 ms over three sightings is needed");
        step(1, 1);
        assertEquals(1, reports.size());
    }

    @Test
    void readsTheCarrierFromAVirtualThreadsName() {
        assertEquals("ForkJoinPool-1-worker-1", CarrierProbe.carrierOf("VirtualThread[#23,vt-5]/runnable@ForkJoinPool-1-worker-1"));
        assertNull(CarrierProbe.carrierOf("VirtualThread[#23,vt-5]/runnable"));
        assertNull(CarrierProbe.carrierOf("VirtualThread[#25]/timed_waiting"));
        assertEquals(Duration.ofMillis(1), CarrierWatch.period(Duration.ofMillis(1)));
        assertEquals(Duration.ofMillis(50), CarrierWatch.period(Duration.ofMillis(100)));
    }

    /**
     * On a real scheduler: checks run while a request does and stop once none does (no task left in the
     * scheduler's queue), and the next request starts them again.
     */
    @Test
    void checksRunOnlyWhileARequestRuns() throws Exception {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        try {
            CarrierWatch real = new CarrierWatch(Duration.ofMillis(2), Duration.ofMillis(1), System::nanoTime, probe, reports::add);
            real.checkOn(scheduler);
            assertFalse(real.scheduled(), "no request yet: nothing scheduled");
            assertTrue(scheduler.getQueue().isEmpty());
            for (int round = 0; round < 2; round++) {
                CountDownLatch running = new CountDownLatch(1);
                CountDownLatch done = new CountDownLatch(1);
                int looksBefore = probe.stateAsks.get();
                Thread.ofPlatform().start(real.wrap(null, () -> {
                    running.countDown();
                    awaitQuietly(done);
                }));
                assertTrue(running.await(5, TimeUnit.SECONDS));
                Eventually.within(Duration.ofSeconds(10), "the watch looks at the running request",
                        () -> probe.stateAsks.get() >= looksBefore + 3);
                assertTrue(real.scheduled());
                done.countDown();
                Eventually.within(Duration.ofSeconds(10), "checks stop once no request runs (round " + round + ")",
                        () -> !real.scheduled() && scheduler.getQueue().isEmpty());
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** Wall time and the mounted carrier's CPU time advance, then the watch looks. */
    private void step(long wallMs, long cpuMs) {
        nanos.addAndGet(wallMs * MS);
        probe.cpu.merge(probe.carrier == null ? "" : probe.carrier, cpuMs * MS, Long::sum);
        watch.check();
    }

    private void startRequest() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        request = Thread.ofPlatform().name("request").start(watch.wrap(null, () -> {
            started.countDown();
            awaitQuietly(release);
        }));
        assertTrue(started.await(5, TimeUnit.SECONDS));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class FakeProbe implements CarrierWatch.Probe {
        volatile Thread.State state = Thread.State.RUNNABLE;
        volatile String carrier;
        volatile boolean cpuKnown = true;
        volatile long cpuAfterLook;
        final Map<String, Long> cpu = new HashMap<>();
        int cpuAsks;
        final java.util.concurrent.atomic.AtomicInteger stateAsks = new java.util.concurrent.atomic.AtomicInteger();

        void mount(String name) {
            carrier = name;
        }

        @Override
        public Thread.State state(Thread thread) {
            stateAsks.incrementAndGet();
            return state;
        }

        @Override
        public String carrier(Thread thread) {
            if (carrier != null) {
                cpu.merge(carrier, cpuAfterLook, Long::sum);
            }
            return carrier;
        }

        @Override
        public long cpuNanos(String name) {
            cpuAsks++;
            return cpuKnown ? cpu.getOrDefault(name, 0L) : -1;
        }
    }
}
