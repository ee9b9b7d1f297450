package io.warhorse.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.worker.WorkerProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WorkerCommandLineTest {

    @Test
    void whatIsBuiltParsesBackToTheSameRecord() {
        for (boolean reusePort : new boolean[] {false, true}) {
            for (CpuSet cpus : new CpuSet[] {null, CpuSet.parse("1"), CpuSet.parse("0-3,8")}) {
                WorkerCommandLine line = new WorkerCommandLine(Path.of("/run/g 1.conf"), Path.of("/run/8000.sock"),
                        Path.of("/run/master-7"), 12, 3, reusePort, cpus);
                assertEquals(line, WorkerCommandLine.parse(line.arguments().toArray(String[]::new)));
            }
        }
    }

    @Test
    void theMainClassNamedAsTextIsTheWorkersEntryPoint() {
        assertEquals(WorkerProcess.class.getName(), WorkerCommandLine.MAIN_CLASS);
    }

    @Test
    void aBrokenCommandLineIsRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerCommandLine.parse(new String[] {"--id"}))
                .getMessage().contains("--id needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> WorkerCommandLine.parse(new String[] {"--id", "x1"})).getMessage().contains("whole number"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> WorkerCommandLine.parse(new String[] {"--bogus"})).getMessage().contains("unknown argument --bogus"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> WorkerCommandLine.parse(new String[] {"--id", "1"})).getMessage().startsWith("usage:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> WorkerCommandLine.parse(new String[] {"--cpus", "3-1"})).getMessage().contains("--cpus needs a CPU list"));
    }
}
