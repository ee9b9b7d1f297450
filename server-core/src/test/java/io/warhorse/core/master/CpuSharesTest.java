package io.warhorse.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.warhorse.core.process.CpuSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which share of the CPUs each new worker takes. */
class CpuSharesTest {

    private final CpuShares shares = new CpuShares(CpuSet.parse("0-3"));

    @Test
    void workersSpreadOverTheSharesAndAReplacementTakesTheFreedOne() {
        CpuSet first = shares.take(2);
        CpuSet second = shares.take(2);
        assertNotEquals(first, second);
        assertEquals(List.of(CpuSet.parse("0-1"), CpuSet.parse("2-3")), List.of(first, second));
        shares.release(second);
        assertEquals(second, shares.take(2), "the replacement takes its predecessor's CPUs");
    }

    @Test
    void duringAReloadTheNewWorkerTakesTheLeastCrowdedShareAndSettlesBackAfter() {
        CpuSet a = shares.take(2);
        CpuSet b = shares.take(2);
        CpuSet newA = shares.take(2); // both shares held once: the first again
        assertEquals(a, newA);
        shares.release(a);
        CpuSet newB = shares.take(2); // a's old worker gone: one worker on each share, so the first
        assertEquals(a, newB);
        shares.release(b);
        assertEquals(b, shares.take(2), "b is free now");
        shares.release(CpuSet.parse("7")); // a share never taken: nothing happens
    }
}
