#!/usr/bin/env python3
"""The README's "Choosing a worker" table from one full run's raw records: one row per scenario, one column per
kind and baseline, medians over the run's runs with ratios to tomcat-virtual (the issue's baseline) where they mean
something. Usage, after a full run (bench/README.md, "Choosing a worker"):

    python3 bench/lib/choosing.py bench/results/raw/<stamp>

Standard library only; reads what report.py reads.
"""
import json
import os
import sys

import report
from report import Records, fmt, fmt_ratio, load_stats, med, ok_rate, ratio

COLUMNS = ["warhorse-sync", "warhorse-virtual", "warhorse-async", "tomcat-virtual", "tomcat-platform",
           "gunicorn-gevent"]
BASE = "tomcat-virtual"


def cell(value, base=None, unit="", digits=None):
    if value is None:
        return "-"
    text = fmt(value, digits) + unit
    r = ratio(value, base)
    return text if r is None else f"{text} ({fmt_ratio(r)})"


def s1(records, t, p99=False):
    s = load_stats(records, "S1", t)
    return None if s is None else (s["p99"] if p99 else s["rps"])


def s2(records, t):
    s = load_stats(records, "S2", t)
    return None if s is None else s["ok"]


def s3(records, t):
    """p99 of the app's /health under the S3 load."""
    runs = records.wrk("S3", t, "/health")
    return med([r["wrk"]["p99_ms"] for r in runs if r["wrk"]["requests"]]) if runs else None


def s4(records, t):
    s = load_stats(records, "S4", t)
    return None if s is None else s["rps"]


def startup(records, t, key):
    runs = [r for r in records.of("startup", t) if "startup_ms" in r]
    if key == "ms":
        return med([r["startup_ms"] for r in runs])
    return med([r["warm_rss"]["total_mib"] for r in runs if "warm_rss" in r])


def recovery(records, t):
    times = [r["recovery_ms"] for r in records.of("recovery", t) if "recovery_ms" in r]
    if any(v is None for v in times):
        return "> 60 s"
    return med(times)


def goodput(records, t):
    runs = [r for r in records.of("goodput", t) if "offered" in r]
    return med([r["offered"]["ok_per_s"] / ok_rate(r["capacity"]) for r in runs if ok_rate(r["capacity"])])


def two_workers(records, t, suffix="-w2"):
    """S1 of the -w2 target (-w2p: pinned, --cpu-affinity) over the one-worker target's."""
    return ratio(s1(records, t + suffix), s1(records, t)) if report.is_warhorse(t) else None


def rows(records):
    def line(title, get, compare=True, unit="", digits=None):
        base = get(BASE) if compare else None
        cells = []
        for t in COLUMNS:
            value = get(t)
            cells.append(value if isinstance(value, str) else cell(value, None if t == BASE else base, unit, digits))
        return [title] + cells
    table = [
        line("S1 `/hello`, 64 conn., req/s (vs Tomcat virtual)", lambda t: s1(records, t)),
        line("S1 p99 ms", lambda t: s1(records, t, p99=True)),
        line("S1 with 2 workers / 1 worker", lambda t: fmt_ratio(two_workers(records, t)) if report.is_warhorse(t) else "-",
             compare=False),
        line("S1 with 2 pinned workers (`--cpu-affinity`) / 1 worker",
             lambda t: fmt_ratio(two_workers(records, t, "-w2p")) if report.is_warhorse(t) else "-", compare=False),
        line("S2 `/query?ms=100` (async: `/async`), 1000 conn., 2xx/s", lambda t: s2(records, t)),
        line("S3 app `/health` p99 ms under 500 blocking requests", lambda t: s3(records, t), compare=False),
        line("S4 `/cpu` ~5 ms, 16 conn., req/s", lambda t: s4(records, t)),
        line("start to first 200, ms", lambda t: startup(records, t, "ms")),
        line("RSS after warm-up, MiB (all processes)", lambda t: startup(records, t, "rss")),
        line("recovery after overload, ms", lambda t: recovery(records, t), compare=False),
        line("goodput at 2x capacity / capacity", lambda t: goodput(records, t), compare=False, digits=2),
    ]
    # a scenario or target the run left out (say, no -w2p targets) leaves a row of dashes: not shown
    return [row for row in table if any(value != "-" for value in row[1:])]


def render(raw):
    with open(os.path.join(raw, "meta.json")) as f:
        meta = json.load(f)
    records = Records(raw)
    header = ["", "sync", "virtual", "async", "Tomcat virtual", "Tomcat platform", "gunicorn gevent"]
    note = (f"Measured by `bench/run.sh` ({meta['runs']} runs of {meta['duration_s']} s) on {meta['nproc']} shared "
            f"cores ({meta['cpu']}) with wrk on the same cores, {meta['date']}, at {meta['git']}; medians, "
            f"ratios to Tomcat virtual within this one run. Full tables: bench/results/.")
    return report.table(header, rows(records)) + "\n\n" + note


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: choosing.py bench/results/raw/<stamp>")
    print(render(sys.argv[1]))
