#!/usr/bin/env python3
"""Checks report.py's arithmetic and target verdicts on made-up records: python3 bench/lib/test_report.py"""
import json
import os
import tempfile
import unittest

import report


def wrk(rps, p99=5.0, p50=1.0, timeout=0, status=0, statuses=None, requests=None, duration=10.0):
    return {"requests": int(rps * duration) if requests is None else requests, "duration_s": duration, "rps": rps,
            "p50_ms": p50, "p90_ms": p99, "p99_ms": p99, "max_ms": p99 * 2, "mean_ms": p50, "bytes": 0,
            "errors": {"connect": 0, "read": 0, "write": 0, "timeout": timeout, "status": status},
            "statuses": statuses or {}}


def raw_run(targets, scenarios, records, runs=3, duration_s=10):
    """A run's raw folder (meta.json, records.jsonl) as the harness writes it, in a new temporary folder."""
    raw = tempfile.mkdtemp()
    meta = {"date": "d", "nproc": 2, "cpu": "c", "kernel": "k", "git": "g", "branch": "b", "java": "j",
            "runs": runs, "duration_s": duration_s, "targets": targets, "scenarios": scenarios, "ideal_s2_rps": 10000,
            "sync_threads": 32, "wrk_timeout": "2s", "warhorse_args": "", "query_via": ""}
    with open(os.path.join(raw, "meta.json"), "w") as f:
        json.dump(meta, f)
    with open(os.path.join(raw, "records.jsonl"), "w") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    return raw


class ReportTest(unittest.TestCase):
    def render(self, scenario, targets, records):
        raw = raw_run(targets, [scenario], records)
        return {line.split("|")[1].strip(): line for line in report.render(raw).splitlines()
                if line.startswith("| ") and not line.startswith("| target")}

    def test_s1_ratios_and_verdicts(self):
        rates = (("tomcat-virtual", (1000, 1000, 1000), 5.0), ("tomcat-platform", (900, 950, 1000), 5.0),
                 ("warhorse-sync", (950, 1010, 1200), 4.0), ("warhorse-virtual", (1100, 1100, 1100), 9.0),
                 ("warhorse-async", (800, 800, 800), 3.0), ("warhorse-sync-w2", (990, 1000, 1005), 4.0),
                 ("warhorse-sync-w2p", (1200, 1212, 1300), 4.0))
        records = [{"scenario": "S1", "target": t, "run": i, "wrk": wrk(rps, p99=p99)}
                   for t, series, p99 in rates for i, rps in enumerate(series)]
        rows = self.render("S1", [t for t, _, _ in rates], records)
        self.assertIn("1.01x", rows["warhorse-sync"])
        self.assertIn("1.06x", rows["warhorse-sync"])  # vs tomcat-platform's median 950
        self.assertIn("| yes", rows["warhorse-sync"])
        self.assertIn("950–1,200", rows["warhorse-sync"])
        self.assertIn("no (needs p99 ≤ tomcat-virtual's", rows["warhorse-virtual"])
        self.assertIn("no (needs req/s ≥1.00x tomcat-virtual)", rows["warhorse-async"])
        self.assertIn("0.99x", rows["warhorse-sync-w2"])  # against one sync worker's 1,010
        self.assertIn("no (needs two workers ≥ one)", rows["warhorse-sync-w2"])
        self.assertIn("1.20x", rows["warhorse-sync-w2p"])  # pinned, against one sync worker's 1,010
        self.assertIn("| yes", rows["warhorse-sync-w2p"])
        self.assertIn("n.a.", rows["tomcat-virtual"])

    def test_s2_sync_needs_fast_503s_and_no_timeouts(self):
        good = wrk(5000, p50=2, status=47000, statuses={"200": 3000, "503": 47000})
        slow = wrk(300, p50=900, timeout=12, statuses={"200": 3000})
        records = [{"scenario": "S2", "target": "warhorse-sync", "run": 1, "path": "/query?ms=100", "wrk": good},
                   {"scenario": "S2", "target": "warhorse-sync-w2", "run": 1, "path": "/query?ms=100", "wrk": slow}]
        rows = self.render("S2", ["warhorse-sync", "warhorse-sync-w2"], records)
        self.assertIn("| yes (bound 320/s", rows["warhorse-sync"])
        self.assertIn("overflow answered 503", rows["warhorse-sync-w2"])
        self.assertIn("no timeouts or socket errors", rows["warhorse-sync-w2"])

    def test_s2_virtual_against_the_ideal(self):
        records = [{"scenario": "S2", "target": "warhorse-virtual", "run": 1, "path": "/query?ms=100",
                    "wrk": wrk(9500, statuses={"200": 95000})}]
        rows = self.render("S2", ["warhorse-virtual"], records)
        self.assertIn("0.95x", rows["warhorse-virtual"])
        self.assertIn("| yes", rows["warhorse-virtual"])

    def test_s3_probe_without_answers_is_not_met(self):
        records = [{"scenario": "S3", "target": "warhorse-virtual", "run": 1, "probe": "/-/healthy",
                    "wrk": wrk(0, p99=0, requests=0)},
                   {"scenario": "S3", "target": "warhorse-sync", "probe": "/-/healthy",
                    "failed": "/-/healthy answered 404, not 200"}]
        rows = self.render("S3", ["warhorse-virtual", "warhorse-sync"], records)
        self.assertIn("no (needs p99 < 10 ms", rows["warhorse-virtual"])
        self.assertIn("not measured: /-/healthy answered 404", rows["warhorse-sync"])

    def test_startup_checks_time_and_worker_rss(self):
        rss = {"total_mib": 200, "workers_mib": [90.0], "processes": []}
        records = [{"scenario": "startup", "target": "warhorse-sync", "run": i, "startup_ms": ms, "rss": rss}
                   for i, ms in enumerate((1200, 1300, 1700))]
        rows = self.render("startup", ["warhorse-sync"], records)
        self.assertIn("| 1300 |", rows["warhorse-sync"])
        self.assertIn("| yes", rows["warhorse-sync"])


    def test_startup_compares_with_tomcat_virtual_and_checks_the_master(self):
        def rss(total, root):
            return {"total_mib": total, "workers_mib": [90.0], "root_mib": root, "processes": []}
        records = [{"scenario": "startup", "target": "tomcat-virtual", "run": 1, "startup_ms": 1000,
                    "rss": rss(100, 100), "warm_rss": rss(120, 120)},
                   {"scenario": "startup", "target": "warhorse-sync", "run": 1, "startup_ms": 900,
                    "rss": rss(150, 60), "warm_rss": rss(110, 50)},
                   {"scenario": "startup", "target": "warhorse-virtual", "run": 1, "startup_ms": 1100,
                    "rss": rss(150, 60), "warm_rss": rss(180, 70)}]
        rows = self.render("startup", ["tomcat-virtual", "warhorse-sync", "warhorse-virtual"], records)
        self.assertIn("0.90x", rows["warhorse-sync"])
        self.assertIn("| yes", rows["warhorse-sync"])
        self.assertIn("first 200 ≤ tomcat-virtual's", rows["warhorse-virtual"])
        self.assertIn("RSS after warm-up ≤ tomcat-virtual's", rows["warhorse-virtual"])
        self.assertIn("master < 64 MiB", rows["warhorse-virtual"])

    def test_startup_checks_the_workers_spawn_to_ready_and_shows_pss(self):
        def rss(total, root, pss):
            return {"total_mib": total, "workers_mib": [90.0], "root_mib": root, "pss_mib": pss, "processes": []}
        records = [{"scenario": "startup", "target": "warhorse-sync", "run": i, "startup_ms": 900,
                    "rss": rss(150, 60, 100), "warm_rss": rss(150, 60, 111), "spawn_to_ready_ms": ms}
                   for i, ms in enumerate((600, 650, 900))] + \
                  [{"scenario": "startup", "target": "warhorse-virtual", "run": i, "startup_ms": 900,
                    "rss": rss(150, 60, 100), "warm_rss": rss(150, 60, 111), "spawn_to_ready_ms": ms}
                   for i, ms in enumerate((650, 700, 800))]
        rows = self.render("startup", ["warhorse-sync", "warhorse-virtual"], records)
        self.assertIn("| 650 (600–900", rows["warhorse-sync"])
        self.assertIn("| 111 |", rows["warhorse-sync"])
        self.assertNotIn("worker spawn to ready < 0.7 s", rows["warhorse-sync"])
        self.assertIn("worker spawn to ready < 0.7 s", rows["warhorse-virtual"])

    def test_recovery_needs_every_run_within_a_second(self):
        records = [{"scenario": "recovery", "target": "warhorse-sync", "run": i, "recovery_ms": ms, "wrk": wrk(100)}
                   for i, ms in enumerate((200, 400, 900))] + \
                  [{"scenario": "recovery", "target": "warhorse-async", "run": i, "recovery_ms": ms, "wrk": wrk(5)}
                   for i, ms in enumerate((300, None))]
        rows = self.render("recovery", ["warhorse-sync", "warhorse-async"], records)
        self.assertIn("| 400 |", rows["warhorse-sync"])
        self.assertIn("| yes", rows["warhorse-sync"])
        self.assertIn("1 run(s) not within 60 s", rows["warhorse-async"])
        self.assertIn("| no", rows["warhorse-async"])

    def test_goodput_is_the_ratio_of_in_time_answers_to_capacity(self):
        def offered(ok_per_s, rate=400, sent_s=10):
            return {"offered_rps": rate, "sent_s": sent_s, "requests": rate * 10, "ok": ok_per_s * 10,
                    "non_2xx": 0, "timeout": 5, "error": 0, "skipped": 0, "ok_per_s": ok_per_s, "timeout_s": 2}
        records = [{"scenario": "goodput", "target": "warhorse-sync", "run": 1, "capacity": wrk(200),
                    "offered": offered(190), "cpu_n": 1000},
                   {"scenario": "goodput", "target": "warhorse-async", "run": 1, "capacity": wrk(200),
                    "offered": offered(100, sent_s=20), "cpu_n": 1000}]
        rows = self.render("goodput", ["warhorse-sync", "warhorse-async"], records)
        self.assertIn("0.95x", rows["warhorse-sync"])
        self.assertIn("| yes", rows["warhorse-sync"])
        self.assertIn("0.50x", rows["warhorse-async"])
        self.assertIn("the client fell behind", rows["warhorse-async"])

if __name__ == "__main__":
    unittest.main()
