package io.warhorse.core.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Linux's CPU list syntax both ways, bad lists refused with the reason, and the workers' shares. */
class CpuSetTest {

    @Test
    void aListParsesAndPrintsBackWithItsRangesJoined() {
        assertEquals("0-3,8,10-11", CpuSet.parse(" 0-3,8,10-11\n").toString());
        assertEquals("0-3", CpuSet.parse("0,1,2-3").toString());
        assertEquals(List.of(0, 2, 5), java.util.Arrays.stream(CpuSet.parse("5,0,2").ids()).boxed().toList());
        assertEquals(CpuSet.parse("1-2"), CpuSet.parse("1,2"));
        assertEquals(8191, CpuSet.parse("8191").ids()[0]);
    }

    @Test
    void aBadListIsRefusedWithWhatIsWrong() {
        for (String bad : new String[] {"", " ", "a", "1-", "-1", "3-1", "0,,1", "1.5", "8192", "0-99999", "+1", "1 2",
                "0-1-2", "x".repeat(70_000)}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> CpuSet.parse(bad), bad);
            assertTrue(refused.getMessage().length() < 300, "a hostile list is echoed in full: " + refused.getMessage().length());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuSet.parse("3-1")).getMessage().contains("backwards"));
    }

    @Test
    void workersGetOneCpuEachOrAnEvenRunOfThem() {
        CpuSet two = CpuSet.parse("0-1");
        assertEquals(List.of(CpuSet.parse("0"), CpuSet.parse("1")), two.shares(2));
        assertEquals(List.of(CpuSet.parse("0"), CpuSet.parse("1")), two.shares(5), "more workers than CPUs: one CPU each");
        assertEquals(List.of(two), two.shares(1));
        assertEquals(List.of(CpuSet.parse("0-2"), CpuSet.parse("3-4"), CpuSet.parse("8-9")),
                CpuSet.parse("0-4,8-9").shares(3));
        assertArrayEquals(new int[] {4}, CpuSet.parse("4").shares(2).getFirst().ids());
    }
}
