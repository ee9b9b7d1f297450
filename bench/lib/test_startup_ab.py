"""What startup_ab reads from a master's log and how it sums up rounds."""
import datetime
import tempfile
import unittest

import harness
import startup_ab


class ParseLaunchTest(unittest.TestCase):

    LOG = """2026-12-02 01:47:54.885 INFO  [main] io.warhorse.core.master.MasterMain: warhorse master (pid 17052) listening at http://127.0.0.1:18432
2026-12-02 01:47:54.924 INFO  [main] io.warhorse.core.master.WorkerTable: booting worker 1 (pid:17076, generation 1)
2026-12-02 01:47:56.393 INFO  [main] io.warhorse.core.master.Arbiter: worker 1 (pid:17076, generation 1) ready (virtual kind, booted in 1468 ms)
2026-12-02 01:47:57.000 INFO  [main] io.warhorse.core.master.WorkerTable: booting worker 2 (pid:17099, generation 1)
2026-12-02 01:47:57.500 INFO  [main] io.warhorse.core.master.Arbiter: worker 2 (pid:17099, generation 1) ready (virtual kind, booted in 500 ms)
"""

    def test_the_first_worker_spawned_and_ready(self):
        launched = datetime.datetime(2026, 12, 2, 1, 47, 54, 500000).timestamp()
        self.assertEqual(424, startup_ab.spawned_after(self.LOG, launched))
        with tempfile.NamedTemporaryFile("w", suffix=".log") as log:
            log.write(self.LOG)
            log.flush()
            self.assertEqual(1468, harness.worker_boot(log.name, 0)["spawn_to_ready_ms"])

    def test_nothing_yet(self):
        self.assertIsNone(startup_ab.spawned_after(self.LOG.splitlines()[0], 0))
        two_lines = "\n".join(self.LOG.splitlines()[:2])
        self.assertIsNotNone(startup_ab.spawned_after(two_lines, 0))
        with tempfile.NamedTemporaryFile("w", suffix=".log") as log:
            log.write(two_lines)
            log.flush()
            self.assertNotIn("spawn_to_ready_ms", harness.worker_boot(log.name, 0))


class SummarizeTest(unittest.TestCase):

    def test_medians_ranges_and_per_round_ratios(self):
        results = {"A": [(400, 600), (410, 700), (390, 650)], "B": [(380, 540), (400, 700), (385, 715)]}
        lines = startup_ab.summarize(["A", "B"], results)
        self.assertIn("| A | 3 | 400 (390-410) | 650 (600-700) |", lines)
        self.assertIn("| B | 3 | 385 (380-400) | 700 (540-715) |", lines)
        self.assertIn("\nB / A, spawn to ready, per round: median 1.000, range 0.900-1.100 over 3 rounds", lines)

    def test_a_launch_without_figures_is_left_out(self):
        lines = startup_ab.summarize(["A", "B"], {"A": [(None, None)], "B": [(1, 2)]})
        self.assertIn("| A | 1 | - | - |", lines)
        self.assertFalse(any("per round" in line for line in lines))


if __name__ == "__main__":
    unittest.main()
