package io.warhorse.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IoThreadHandoffTest {

    @Test
    void tasksHandedOverWhileTheIoThreadIsBusyRunThereInOneDrainInOrder() throws Exception {
        ExecutorService io = Executors.newSingleThreadExecutor();
        try {
            AtomicInteger executes = new AtomicInteger();
            java.util.concurrent.Executor counted = task -> {
                executes.incrementAndGet();
                io.execute(task);
            };
            CountDownLatch gate = new CountDownLatch(1);
            io.execute(() -> await(gate)); // the I/O thread is busy with something else
            Thread[] ioThread = new Thread[1];
            io.execute(() -> ioThread[0] = Thread.currentThread());
            IoThreadHandoff handoff = new IoThreadHandoff();
            List<String> ran = Collections.synchronizedList(new ArrayList<>());
            List<Thread> ranOn = Collections.synchronizedList(new ArrayList<>());
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                int producer = p;
                producers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 50; i++) {
                        String name = producer + ":" + i;
                        handoff.run(counted, () -> {
                            ran.add(name);
                            ranOn.add(Thread.currentThread());
                        });
                    }
                }));
            }
            for (Thread producer : producers) {
                producer.join(10_000);
            }
            assertEquals(0, ran.size(), "nothing runs while the I/O thread is busy");
            assertEquals(1, executes.get(), "200 tasks, one wake-up of the I/O thread");
            gate.countDown();
            io.shutdown();
            assertTrue(io.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals(200, ran.size());
            ranOn.forEach(thread -> assertSame(ioThread[0], thread));
            for (int p = 0; p < 4; p++) {
                String prefix = p + ":";
                List<String> own = ran.stream().filter(name -> name.startsWith(prefix)).toList();
                for (int i = 0; i < 50; i++) {
                    assertEquals(prefix + i, own.get(i), "a producer's tasks run in the order handed over");
                }
            }
        } finally {
            io.shutdownNow();
        }
    }

    @Test
    void aTaskHandedOverAfterADrainStartsTheNextOne() throws Exception {
        ExecutorService io = Executors.newSingleThreadExecutor();
        try {
            IoThreadHandoff handoff = new IoThreadHandoff();
            for (int i = 0; i < 3; i++) {
                CountDownLatch done = new CountDownLatch(1);
                handoff.run(io, done::countDown);
                assertTrue(done.await(10, TimeUnit.SECONDS), "task " + i + " ran");
            }
        } finally {
            io.shutdownNow();
        }
    }

    @Test
    void whenTheIoThreadIsStoppingTheTaskRunsOnTheCallingThreadAndAFailingTaskStopsNoOther() {
        IoThreadHandoff handoff = new IoThreadHandoff();
        List<Thread> ranOn = new ArrayList<>();
        java.util.concurrent.Executor stopping = task -> {
            throw new RejectedExecutionException("stopping");
        };
        handoff.run(stopping, () -> {
            throw new IllegalStateException("a broken completion");
        });
        handoff.run(stopping, () -> ranOn.add(Thread.currentThread()));
        assertEquals(List.of(Thread.currentThread()), ranOn);
    }

    private static void await(CountDownLatch gate) {
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
