#!/usr/bin/env python3
"""Checks choosing.py's table on made-up records: python3 bench/lib/test_choosing.py"""
import unittest

import choosing
from test_report import raw_run, wrk


class ChoosingTest(unittest.TestCase):
    def render(self, targets, records):
        raw = raw_run(targets, ["S1"], records, runs=2, duration_s=5)
        return {line.split("|")[1].strip(): line for line in choosing.render(raw).splitlines()
                if line.startswith("| ") and line.split("|")[1].strip()}

    def s1(self, target, rps, run):
        return {"scenario": "S1", "target": target, "run": run, "path": "/hello", "wrk": wrk(rps)}

    def test_rows_of_the_scenarios_and_targets_the_run_had_and_no_others(self):
        targets = ["warhorse-sync", "warhorse-sync-w2", "tomcat-virtual"]
        rows = self.render(targets, [self.s1("warhorse-sync", 1000, 1), self.s1("warhorse-sync", 1200, 2),
                                     self.s1("warhorse-sync-w2", 990, 1), self.s1("warhorse-sync-w2", 1210, 2),
                                     self.s1("tomcat-virtual", 1000, 1), self.s1("tomcat-virtual", 1000, 2)])
        s1 = rows["S1 `/hello`, 64 conn., req/s (vs Tomcat virtual)"]
        self.assertIn("1,100 (1.10x)", s1)
        self.assertIn("| 1,000 |", s1)
        self.assertIn("1.00x", rows["S1 with 2 workers / 1 worker"])
        # no -w2p target and no S2...goodput scenario in this run: those rows are left out, not shown as dashes
        self.assertNotIn("S1 with 2 pinned workers (`--cpu-affinity`) / 1 worker", rows)
        self.assertNotIn("S4 `/cpu` ~5 ms, 16 conn., req/s", rows)
        self.assertNotIn("start to first 200, ms", rows)


if __name__ == "__main__":
    unittest.main()
