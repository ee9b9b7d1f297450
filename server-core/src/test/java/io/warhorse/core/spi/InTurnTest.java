package io.warhorse.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Tasks run in the order given even when their threads start in another order (as the JDK's scheduler starts
 * virtual threads submitted from two I/O threads under load); a refused start withdraws its own task, unless
 * another thread already took it.
 */
class InTurnTest {

    private final List<Runnable> started = new ArrayList<>();
    private final List<String> ran = new ArrayList<>();
    private boolean refusing;

    private final InTurn inTurn = new InTurn(thread -> {
        if (refusing) {
            throw new RejectedExecutionException("shut down");
        }
        started.add(thread);
    });

    @Test
    void threadsStartedLastFirstStillRunTheTasksFirstComeFirstServed() {
        for (String name : List.of("a", "b", "c", "d")) {
            inTurn.execute(() -> ran.add(name));
        }
        assertEquals(4, inTurn.waiting());
        started.reversed().forEach(Runnable::run); // the scheduler ran the youngest thread first
        assertEquals(List.of("a", "b", "c", "d"), ran);
        assertEquals(0, inTurn.waiting());
    }

    @Test
    void aRefusedTaskIsWithdrawnAndTheOthersStillRun() {
        inTurn.execute(() -> ran.add("a"));
        refusing = true;
        assertThrows(RejectedExecutionException.class, () -> inTurn.execute(() -> ran.add("refused")));
        assertEquals(1, inTurn.waiting(), "only the task that has a thread stays queued");
        started.forEach(Runnable::run);
        assertEquals(List.of("a"), ran);
    }

    @Test
    void aTaskAnotherThreadAlreadyTookIsNotRefused() {
        InTurn[] shared = new InTurn[1];
        boolean[] interleaved = {false};
        shared[0] = new InTurn(thread -> {
            if (!interleaved[0]) {
                interleaved[0] = true;
                // meanwhile another I/O thread queues y, and the thread it starts runs at once and takes x, the
                // oldest; then the kind shuts down, and x's own thread is refused
                shared[0].execute(() -> ran.add("y"));
                throw new RejectedExecutionException("shut down");
            }
            thread.run();
        });
        shared[0].execute(() -> ran.add("x")); // no exception: x ran, it must not also be answered as refused
        assertEquals(List.of("x"), ran);
        assertEquals(1, shared[0].waiting(), "y is left without a thread: it goes with the shut-down kind");
    }
}
