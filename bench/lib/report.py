#!/usr/bin/env python3
"""warhorse benchmark report: turns a run's raw records (bench/results/raw/<stamp>/records.jsonl, written by
harness.py) into Markdown tables with medians, spreads, ratios against the baselines of the same run, and
whether each of the issue's targets is met. Re-render a past run with:

    python3 bench/lib/report.py bench/results/raw/<stamp>

Python 3 standard library only.
"""
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)


# ------------------------------------------------------------------------------------------------ meta
def write_meta(raw, args, targets, ideal, sync_threads, wrk_timeout):
    meta = {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "kernel": platform.release(),
        "git": git("rev-parse", "--short", "HEAD") + (" (dirty)" if git("status", "--porcelain") else ""),
        "branch": git("rev-parse", "--abbrev-ref", "HEAD"),
        "java": java_version(),
        "runs": args.runs, "duration_s": args.duration, "targets": targets, "scenarios": args.scenarios,
        "ideal_s2_rps": ideal, "sync_threads": sync_threads, "wrk_timeout": wrk_timeout,
        "warhorse_args": os.environ.get("WARHORSE_ARGS", ""), "query_via": os.environ.get("BENCH_QUERY_VIA", ""),
        "warmup": os.environ.get("BENCH_WARMUP", ""),
    }
    with open(os.path.join(raw, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git(*args):
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def java_version():
    java = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "java")
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=20).stderr
        return out.splitlines()[0] if out else "unknown"
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


# --------------------------------------------------------------------------------------------- numbers
def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    lo, hi, mid = min(values), max(values), statistics.median(values)
    pct = (hi - lo) / 2 / mid * 100 if mid else 0
    return f"{fmt(lo)}–{fmt(hi)} (±{pct:.0f}%)"


def fmt(value, digits=None):
    if value is None:
        return "-"
    if digits is not None:
        return f"{value:.{digits}f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def ratio(value, base):
    return value / base if value is not None and base else None


def fmt_ratio(r):
    return "-" if r is None else f"{r:.2f}x"


def errors(results):
    """Summed wrk errors over runs: dict with connect/read/write/timeout/status and per-status counts."""
    total = {"connect": 0, "read": 0, "write": 0, "timeout": 0, "status": 0, "statuses": {}}
    for r in results:
        for key in ("connect", "read", "write", "timeout", "status"):
            total[key] += r["errors"][key]
        for status, n in r.get("statuses", {}).items():
            total["statuses"][status] = total["statuses"].get(status, 0) + n
    return total


def error_count(e):
    return e["connect"] + e["read"] + e["write"] + e["timeout"] + e["status"]


def fmt_errors(e):
    if error_count(e) == 0:
        return "0"
    parts = [f"{k} {e[k]}" for k in ("connect", "read", "write", "timeout") if e[k]]
    if e["status"]:
        non2xx = {s: n for s, n in e["statuses"].items() if not s.startswith("2")}
        detail = ", ".join(f"{s}: {n}" for s, n in sorted(non2xx.items()))
        parts.append(f"non-2xx {e['status']}" + (f" ({detail})" if detail else ""))
    return "; ".join(parts)


def ok_rate(result):
    """2xx answers per second of one wrk run (all answers minus non-2xx/3xx)."""
    if result.get("statuses"):
        ok = sum(n for s, n in result["statuses"].items() if s.startswith("2"))
    else:
        ok = result["requests"] - result["errors"]["status"]
    return ok / result["duration_s"] if result["duration_s"] else 0


def status_count(result, status):
    return result.get("statuses", {}).get(str(status), 0)


# --------------------------------------------------------------------------------------------- records
class Records:
    def __init__(self, raw):
        self.items = []
        path = os.path.join(raw, "records.jsonl")
        if os.path.exists(path):
            with open(path) as f:
                self.items = [json.loads(line) for line in f if line.strip()]

    def of(self, scenario, target, probe=None):
        return [r for r in self.items if r["scenario"] == scenario and r["target"] == target
                and r.get("probe") == probe]

    def failure(self, scenario, target, probe=None):
        for r in self.of(scenario, target, probe):
            if "failed" in r:
                return r["failed"]
        return None

    def wrk(self, scenario, target, probe=None):
        return [r for r in self.of(scenario, target, probe) if "wrk" in r and "failed" not in r["wrk"]]

    def wrk_failures(self, scenario, target, probe=None):
        return [r["wrk"]["failed"] for r in self.of(scenario, target, probe) if "wrk" in r and "failed" in r["wrk"]]


def is_warhorse(target):
    return target.startswith("warhorse-")


def kind(target):
    return target.split("-")[1] if is_warhorse(target) else None


def workers(target):
    return 2 if target.endswith(("-w2", "-w2p")) else 1


def one_worker_twin(target):
    """The one-worker target of a two-worker one (warhorse-sync-w2 and -w2p: warhorse-sync), else None."""
    for suffix in ("-w2", "-w2p"):
        if target.endswith(suffix):
            return target[:-len(suffix)]
    return None


def not_measured(records, scenario, target, probe=None):
    note = records.failure(scenario, target, probe)
    if note is None:
        fails = records.wrk_failures(scenario, target, probe)
        note = fails[0] if fails else "no result"
    return ("not measured: " if is_warhorse(target) else "n.a.; not measured: ") + note.replace("|", "/")


def caveats(results):
    """Notes about runs whose figures mislead: no answer at all, or a target still busy before the run."""
    notes = []
    if any(r["requests"] == 0 for r in results):
        notes.append("a run got no answer at all (wrk counts no timeout for requests still open at its end)")
    if any(r.get("busy_before") for r in results):
        notes.append("target still busy from the previous run when a run started")
    return ("; " + "; ".join(notes)) if notes else ""


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------- scenarios
def load_stats(records, scenario, target):
    runs = records.wrk(scenario, target)
    if not runs:
        return None
    results = [r["wrk"] for r in runs]
    return {"runs": len(results), "rps": med([r["rps"] for r in results]), "rps_all": [r["rps"] for r in results],
            "ok": med([ok_rate(r) for r in results]), "ok_all": [ok_rate(r) for r in results],
            "p99": med([r["p99_ms"] for r in results]), "p50": med([r["p50_ms"] for r in results]),
            "errors": errors(results), "results": results,
            "path": runs[0].get("path"), "extra": runs[0]}


def s1(records, meta):
    """S1 against Tomcat with virtual threads (req/s at least its, p99 at most its) and, for a two-worker target,
    against the same kind with one worker (two workers on the cores at least one's); undertow-servlet and
    tomcat-platform for reference."""
    targets = meta["targets"]
    stats = {t: load_stats(records, "S1", t) for t in targets}
    base = stats.get("tomcat-virtual") or {}
    base_us = (stats.get("undertow-servlet") or {}).get("rps")
    base_tc = (stats.get("tomcat-platform") or {}).get("rps")
    rows = []
    for t in targets:
        s = stats[t]
        if s is None:
            rows.append([t, 0, "-", "-", "-", "-", "-", "-", "-", "-", not_measured(records, "S1", t)])
            continue
        r_tv, r_us, r_tc = ratio(s["rps"], base.get("rps")), ratio(s["rps"], base_us), ratio(s["rps"], base_tc)
        one = stats.get(one_worker_twin(t)) if one_worker_twin(t) else None
        r_one = ratio(s["rps"], one["rps"]) if one else None
        if not is_warhorse(t):
            met = "n.a."
        elif r_tv is None:
            met = "n.a. (tomcat-virtual missing)"
        else:
            misses = []
            if r_tv < 1.0:
                misses.append("req/s ≥1.00x tomcat-virtual")
            if s["p99"] > base["p99"]:
                misses.append(f"p99 ≤ tomcat-virtual's {fmt(base['p99'])} ms")
            if r_one is not None and r_one < 1.0:
                misses.append("two workers ≥ one")
            met = "yes" if not misses else f"no (needs {', '.join(misses)})"
        rows.append([t, s["runs"], fmt(s["rps"]), spread(s["rps_all"]), fmt(s["p99"]), fmt_errors(s["errors"]),
                     fmt_ratio(r_tv), fmt_ratio(r_one), fmt_ratio(r_us), fmt_ratio(r_tc), met + caveats(s["results"])])
    return table(["target", "runs", "req/s (median)", "spread min–max", "p99 ms", "errors (all runs)",
                  "vs tomcat-virtual", "vs one worker", "vs undertow-servlet", "vs tomcat-platform", "target met?"],
                 rows) + \
        "\n\nTarget (issue 14): every warhorse kind ≥ 1.0x tomcat-virtual with a p99 no worse than its, and two " \
        "workers (-w2; -w2p: pinned, --cpu-affinity) ≥ the same kind with one worker, in the same run."


def s2(records, meta):
    ideal = meta["ideal_s2_rps"]
    rows = []
    for t in meta["targets"]:
        s = load_stats(records, "S2", t)
        if s is None:
            rows.append([t, "-", 0, "-", "-", "-", "-", "-", "-", "-", "-", "-", not_measured(records, "S2", t)])
            continue
        e = s["errors"]
        n503 = e["statuses"].get("503", 0)
        other = error_count(e) - n503 - e["timeout"]
        r = ratio(s["ok"], ideal)
        met = "n.a."
        if kind(t) in ("virtual", "async"):
            met = "yes" if r >= 0.9 and error_count(e) == 0 else "no (needs ≥0.90x of 10,000 2xx/s, 0 errors)"
        elif kind(t) == "sync":
            bound = workers(t) * meta["sync_threads"] / 0.1
            checks = [("2xx/s within the bound", s["ok"] <= bound * 1.1),
                      ("overflow answered 503", n503 > 0),
                      ("no non-2xx but 503", e["status"] == n503),
                      ("no timeouts or socket errors", e["timeout"] + e["connect"] + e["read"] + e["write"] == 0),
                      ("503s at once: p50 < 100 ms", s["p50"] is not None and s["p50"] < 100)]
            missed = [name for name, ok in checks if not ok]
            met = ("yes" if not missed else "no: " + ", ".join(missed) + " failed") + \
                f" (bound {bound:,.0f}/s = threads {meta['sync_threads']} x {workers(t)} worker(s) / 0.1 s)"
        rows.append([t, s["path"], s["runs"], fmt(s["rps"]), spread(s["rps_all"]), fmt(s["ok"]), n503, e["timeout"],
                     other, fmt(s["p50"]), fmt(s["p99"]), fmt_ratio(r), met + caveats(s["results"])])
    return table(["target", "path", "runs", "answers/s (median)", "spread min–max", "2xx/s", "503s",
                  "timeouts", "other errors", "p50 ms", "p99 ms", "2xx vs ideal 10,000/s", "target met?"], rows) + \
        f"\n\nCounts are summed over all runs. A timeout is a request unanswered after {meta['wrk_timeout']}. " \
        "Targets: virtual and async ≥ 0.9x the ideal 10,000 req/s (1000 connections / 0.1 s) with zero errors; " \
        "sync bounded by threads / 0.1 s, the rest answered 503 at once, never a timeout (wrk cannot split " \
        "latency by status: with mostly 503s, a p50 far below 100 ms shows they come at once)."


def s3(records, meta):
    rows = []
    for t in meta["targets"]:
        probes = list(dict.fromkeys(x["probe"] for x in records.items if x["scenario"] == "S3"
                                    and x["target"] == t and x.get("probe") not in (None, "load")))
        load = records.wrk("S3", t, "load")
        load_ok = med([ok_rate(r["wrk"]) for r in load]) if load else None
        if not probes:
            rows.append([t, "-", 0, "-", "-", "-", "-", "-", "-", not_measured(records, "S3", t)])
            continue
        for p in probes:
            runs = records.wrk("S3", t, p)
            if not runs:
                rows.append([t, p, 0, "-", "-", "-", "-", "-", fmt(load_ok), not_measured(records, "S3", t, p)])
                continue
            results = [r["wrk"] for r in runs]
            p99s = [r["p99_ms"] if r["requests"] else None for r in results]
            e = errors(results)
            p99 = med(p99s)
            answered = all(r["requests"] > 0 for r in results)
            if is_warhorse(t):
                good = answered and p99 is not None and p99 < 10 and error_count(e) == 0
                met = "yes" if good else "no (needs p99 < 10 ms, 0 errors)"
            else:
                met = "n.a."
            met += caveats(results)
            rows.append([t, p, len(results), fmt(med([r["rps"] for r in results])), fmt(p99), spread(p99s),
                         fmt(max(r["max_ms"] for r in results)), fmt_errors(e), fmt(load_ok), met])
    return table(["target", "probe", "runs", "probe req/s", "p99 ms (median)", "p99 spread", "max ms",
                  "probe errors", "load 2xx/s", "target met?"], rows) + \
        "\n\nThe probe runs at 4 connections while 500 connections load /query?ms=500, a route that blocks in a " \
        "socket read (on the async kind too: a blocking route on its few threads). Target: for every warhorse " \
        "kind, /-/healthy and the app's own /health (another route of the same app) p99 < 10 ms with zero " \
        "errors. Baselines have no /-/healthy: their row probes the app's /health."


def s4(records, meta):
    stats = {t: load_stats(records, "S4", t) for t in meta["targets"]}
    base = (stats.get("raw-undertow") or {}).get("rps")
    rows = []
    for t in meta["targets"]:
        s = stats[t]
        if s is None:
            rows.append([t, 0, "-", "-", "-", "-", "-", "-", not_measured(records, "S4", t)])
            continue
        x = s["extra"]
        r = ratio(s["rps"], base)
        met = "n.a."
        if kind(t) in ("sync", "virtual"):
            met = "n.a. (raw-undertow missing)" if r is None else ("yes" if r >= 0.9 else "no (needs ≥0.90x raw-undertow)")
        elif kind(t) == "async":
            lines = [w.get("watchdog_lines") for w in records.of("S4", t) if "watchdog_lines" in w]
            met = (f"n.a.; watchdog log lines: {lines[0] if lines else '?'} (tasks over async.watchdog-threshold, "
                   "100 ms by default: 0 is right for warm ~5 ms requests)")
        rows.append([t, s["runs"], fmt(s["rps"]), spread(s["rps_all"]), fmt(s["p99"]), fmt_errors(s["errors"]),
                     f"{fmt(x.get('cpu_ms'))} (n={x.get('cpu_n')})", fmt_ratio(r), met + caveats(s["results"])])
    return table(["target", "runs", "req/s (median)", "spread min–max", "p99 ms", "errors (all runs)",
                  "CPU ms/request (n)", "vs raw-undertow", "target met?"], rows) + \
        "\n\nn (rounds of a SHA-256 chain, cpu.war's loop; the baselines run a copy) is calibrated once per run " \
        "on the first Java target so that a request costs about 5 ms more than /cpu?n=0 (fastest of 9 sequential " \
        "requests), and every Java target then gets the same n and must give the same answer; gunicorn is " \
        "calibrated apart. The CPU ms column is that cost measured again on each target after its warm-up. " \
        "Ceiling on 2 cores: about 2 x 1000 / 5 = 400 req/s, less what wrk takes. Target: sync and virtual ≥ 0.9x " \
        "raw-undertow."


def startup_baseline(records, scenario):
    """Median first-200 ms and warm RSS of tomcat-virtual, the issue's Tomcat (None where not measured)."""
    runs = [r for r in records.of(scenario, "tomcat-virtual") if "startup_ms" in r]
    warm = [r["warm_rss"]["total_mib"] for r in runs if "warm_rss" in r]
    return med([r["startup_ms"] for r in runs]), med(warm)


def startup(records, meta, scenario):
    rows = []
    tomcat_ms, tomcat_rss = startup_baseline(records, scenario)
    for t in meta["targets"]:
        runs = [r for r in records.of(scenario, t) if "startup_ms" in r]
        if not runs:
            rows.append([t, 0, "-", "-", "-", "-", "-", "-", "-", "-", "-", not_measured(records, scenario, t)])
            continue
        times = [r["startup_ms"] for r in runs]
        totals = [r["rss"]["total_mib"] for r in runs]
        per_worker = [w for r in runs for w in r["rss"]["workers_mib"]]
        worker_med = med(per_worker)
        warm = [r["warm_rss"]["total_mib"] for r in runs if "warm_rss" in r]
        masters = [r["warm_rss"]["root_mib"] for r in runs if "warm_rss" in r and r["warm_rss"].get("root_mib")]
        spawns = [r["spawn_to_ready_ms"] for r in runs if "spawn_to_ready_ms" in r]
        pss = [r["warm_rss"]["pss_mib"] for r in runs if r.get("warm_rss", {}).get("pss_mib") is not None]
        met = "n.a."
        if is_warhorse(t):
            checks = []
            if workers(t) == 1 and scenario == "startup":
                checks.append(("start-up < 1.5 s", med(times) < 1500))
                if spawns:
                    checks.append(("worker spawn to ready < 0.7 s", med(spawns) < 700))
                if tomcat_ms is not None:
                    checks.append(("first 200 ≤ tomcat-virtual's", med(times) <= tomcat_ms))
                if tomcat_rss is not None and warm:
                    checks.append(("RSS after warm-up ≤ tomcat-virtual's", med(warm) <= tomcat_rss))
                if masters:
                    checks.append(("master < 64 MiB", max(masters) < 64))
            if worker_med is not None:
                checks.append(("RSS per worker < 120 MiB", max(per_worker) < 120))
            if not checks:
                met = "n.a."
            else:
                missed = [c for c, ok in checks if not ok]
                met = "yes" if not missed else "no: needs " + ", ".join(missed)
            if worker_med is None:
                met += "; RSS per worker n.a.: no worker process (a java child of the java master) found"
        master = f"{fmt(med(masters))} (max {fmt(max(masters))})" if masters and is_warhorse(t) else "-"
        rows.append([t, len(runs), fmt(med(times), 0), spread(times), fmt_ratio(ratio(med(times), tomcat_ms)),
                     f"{fmt(med(spawns), 0)} ({spread(spawns)})" if spawns else "-", fmt(med(totals)), "-" if not warm else f"{fmt(med(warm))} ({fmt_ratio(ratio(med(warm), tomcat_rss))})",
                     fmt(med(pss)) if pss else "-",
                     master, "-" if worker_med is None else f"{fmt(worker_med)} (max {fmt(max(per_worker))})", met])
    return table(["target", "runs", "first 200 ms (median)", "spread min–max", "vs tomcat-virtual",
                  "worker spawn to ready ms (spread)", "idle RSS MiB, process tree", "RSS MiB after warm-up (vs tomcat-virtual)", "PSS MiB after warm-up", "master RSS MiB after warm-up",
                  "idle RSS MiB per worker (median)", "target met?"], rows) + \
        "\n\nStart-up: from launching the command to the first 200 (polled every 15 ms), the targets' launches " \
        "taken in rounds (one of each target per round); for warhorse after two starts and stops that built its " \
        "master's and its workers' AOT caches (as any third start on a machine). Idle RSS: VmRSS summed " \
        "over the process tree after 20 requests and 1 s idle; a worker is a child process of the same program " \
        "(warhorse's java workers, gunicorn's workers). After warm-up: the same after up to 5 s of wrk at 64 " \
        "connections on the same path and 1 s idle (the master: the tree's root, warhorse's java master). " \
        "Worker spawn to ready: the master's \"booted in\" of the launch's first worker, from its spawn to its " \
        "accepting on the shared socket (the raw records keep the phases the worker logged). PSS: the same tree's " \
        "proportional set size, where a page shared by the master and its workers (libjvm, the JDK's class-data " \
        "archive) counts once; shown to explain RSS, the target stays on RSS. " \
        "Targets: warhorse with one worker first 200 < 1.5 s (hello app) and at most tomcat-virtual's, a worker ready " \
        "within 0.7 s of its spawn, RSS after " \
        "warm-up (master and worker) at most tomcat-virtual's, the master under 64 MiB; idle RSS per worker < 120 MiB."


def lost(records, meta):
    rows = []
    for t in meta["targets"]:
        if not is_warhorse(t):
            continue
        for label in ("HUP", "TERM", "recycle"):
            runs = records.wrk("lost", t, label)
            if not runs:
                note = records.failure("lost", t, label)
                if note:
                    rows.append([t, label, "-", "-", "-", "-", "-", "not measured: " + note.replace("|", "/")])
                continue
            result = runs[0]["wrk"]
            e = errors([result])
            wrk_errors = f"{e['read']} / {e['write']} / {e['timeout']} / {e['status']} / {e['connect']}"
            counted = runs[0].get("requests")
            if not counted:   # a run recorded before the probe existed: wrk's errors are all there is
                rows.append([t, label, result["requests"], wrk_errors, "-", "-", "-", "not measured (no probe)"])
                continue
            lost_n = counted["lost"] + counted["non_2xx"]
            refused = counted["refused"]
            if label != "TERM":
                lost_n += refused  # nothing may be refused while the master keeps listening
            replaced = counted.get("replaced")
            event = label if replaced is None or label == "TERM" else f"{label} ({replaced} worker(s) replaced)"
            rows.append([t, event, result["requests"], wrk_errors,
                         f"{counted['ok']} ok, {counted['retried']} retried", refused, lost_n,
                         "yes" if lost_n == 0 else "no (goal: 0)"])
    if not rows:
        return "No warhorse target measured."
    return table(["target", "event", "wrk requests", "wrk errors read / write / timeout / non-2xx / connect",
                  "probe requests", "probe refused", "lost (probe)", "target met?"], rows) + \
        "\n\nA steady wrk (16 connections, /hello) runs while the master gets the signal a third of the way in; " \
        "beside it bench/lib/probe.py sends /hello on 8 keep-alive connections of its own and classifies every " \
        "request. Lost = a request written to an accepted connection that got no complete response, or a non-2xx " \
        "answer (and, for HUP and recycling, any refused connect). wrk's own error counts are shown but are not " \
        "the measure: wrk counts a connect refused asynchronously (the listener closed after TERM) as a write " \
        "error (checked: wrk against a server killed mid-run reports only write errors) and retries it in a tight loop. Retried = a request sent on a keep-alive connection the server had " \
        "just closed, sent again on a fresh one as HTTP/1.1 clients do; its second attempt is what is counted. " \
        "For TERM, refused connects after the listener closed are expected and not lost."


def respawn(records, meta):
    rows = []
    for t in meta["targets"]:
        if not is_warhorse(t) or workers(t) != 1:
            continue
        for label in ("hello app", "slowdb app"):
            runs = [r for r in records.of("respawn", t, label) if "respawn_ms" in r]
            note = records.failure("respawn", t, label)
            if not runs:
                rows.append([t, label, 0, "-", "-", "not measured: " + (note or "no result").replace("|", "/")])
                continue
            times = [r["respawn_ms"] for r in runs]
            rows.append([t, label, len(runs), fmt(med(times), 0), spread(times), note or ""])
    if not rows:
        return "No one-worker warhorse target measured."
    return table(["target", "app", "runs", "kill to first 200 ms (median)", "spread min–max", "note"], rows) + \
        "\n\nAfter one start and stop that built the workers' AOT cache, the only worker gets SIGKILL (each kill 6 s after the previous respawn, so the master's backoff for workers that die under 5 s old does not apply); the time runs until a request on the shared socket is answered 200 " \
        "again, which includes the master noticing the death, spawning a worker, its boot and the app's deployment."


def recovery(records, meta):
    rows = []
    for t in meta["targets"]:
        runs = [r for r in records.of("recovery", t) if "recovery_ms" in r]
        if not runs:
            rows.append([t, 0, "-", "-", "-", "-", not_measured(records, "recovery", t)])
            continue
        times = [r["recovery_ms"] for r in runs]
        stuck = sum(1 for v in times if v is None)
        loads = [r["wrk"] for r in runs if "failed" not in r["wrk"]]
        load_ok = med([ok_rate(x) for x in loads]) if loads else None
        worst = None if stuck else max(times)
        met = "n.a."
        if is_warhorse(t):
            met = "yes" if not stuck and worst <= 1000 else "no (needs normal answers within 1 s of every overload)"
        rows.append([t, len(runs), fmt(med(times), 0) if not stuck else f"{stuck} run(s) not within 60 s",
                     spread(times) if not stuck else "-", fmt(load_ok), fmt_errors(errors(loads)) if loads else "-",
                     met])
    return table(["target", "runs", "recovery ms (median)", "spread min–max", "2xx/s during the overload",
                  "overload errors", "target met?"], rows) + \
        "\n\nEach run: 500 connections on /query?ms=500 (blocking) for the run's duration; when wrk ends it closes " \
        "them all, like clients that gave up. From then on a cheap request (/query?ms=0) on a new connection every " \
        "20 ms: recovered at the first of 5 answers in a row that are each a 200 within 100 ms; the time is from the " \
        "end of the overload to the first of those. Deadline 60 s. Target: every warhorse kind within 1 s."


def goodput(records, meta):
    rows = []
    for t in meta["targets"]:
        runs = [r for r in records.of("goodput", t) if "offered" in r]
        if not runs:
            rows.append([t, 0, "-", "-", "-", "-", "-", "-", "-", not_measured(records, "goodput", t)])
            continue
        capacity = [ok_rate(r["capacity"]) for r in runs]
        ratios = [r["offered"]["ok_per_s"] / c if c else None for r, c in zip(runs, capacity)]
        reached = [r["offered"]["requests"] / r["offered"]["sent_s"] / r["offered"]["offered_rps"]
                   if r["offered"]["sent_s"] else None for r in runs]
        o = {k: sum(r["offered"][k] for r in runs) for k in ("non_2xx", "timeout", "error", "skipped")}
        met = "n.a."
        if is_warhorse(t):
            met = "yes" if med(ratios) is not None and med(ratios) >= 0.9 else "no (needs ≥ 0.90x capacity)"
        if min((v for v in reached if v is not None), default=1) < 0.9:
            met += "; the client fell behind the offered rate (see sent_s in records.jsonl)"
        latency = "/".join(fmt(med([r["offered"].get(k) for r in runs if r["offered"].get(k) is not None]))
                           for k in ("ok_p50_ms", "ok_p99_ms"))
        rows.append([t, len(runs), fmt(med(capacity)), fmt(med([r["offered"]["offered_rps"] for r in runs])),
                     fmt(med([r["offered"]["ok_per_s"] for r in runs])), f"{fmt_ratio(med(ratios))} "
                     f"({spread(ratios)})", f"{o['non_2xx']} / {o['timeout']} / {o['error']} / {o['skipped']}",
                     latency, fmt(med([r.get("cpu_n") for r in runs]), 0), met])
    clients = sorted({r["offered"].get("client", "openload.py") for t in meta["targets"]
                      for r in records.of("goodput", t) if "offered" in r}) or ["openload.py"]
    return table(["target", "runs", "capacity 2xx/s (median)", "offered req/s", "2xx/s in time at 2x",
                  "goodput / capacity (spread)", "non-2xx / timeout / error / skipped", "2xx in time p50/p99 ms",
                  "n", "target met?"], rows) + \
        "\n\nCapacity: 2xx/s of /cpu (about 5 ms of CPU a request, n calibrated as in S4) at 16 connections, wrk " \
        f"(closed loop), per run. Then {' and '.join(clients)} (bench/lib/ratedload.py runs h2load; openload.py is " \
        "asyncio, at about five times h2load's CPU a request) offers twice that as an open loop (a new connection " \
        "per request at a fixed rate, whatever the answers, like arriving users) for the run's duration, with the " \
        "wrk timeout of 2 s per request; goodput = 2xx answered within it, per second. A 503 answered at once is " \
        "the server shedding (non-2xx); a timeout is work done too late or never. The client runs on the same " \
        "cores. Target: every warhorse kind ≥ 0.9x its capacity."


# ------------------------------------------------------------------------------------------------ render
def render(raw):
    with open(os.path.join(raw, "meta.json")) as f:
        meta = json.load(f)
    records = Records(raw)
    d = meta["duration_s"]
    out = [f"# warhorse benchmarks, {meta['date']}", "",
           f"- Machine: {meta['nproc']} cores ({meta['cpu']}), Linux {meta['kernel']}; {meta['java']}.",
           f"- Code: branch `{meta['branch']}` at {meta['git']}.",
           "- **wrk runs on the same cores as the server**, over loopback (127.0.0.1): every figure is a ratio "
           "measured within this one run, not an absolute capacity.",
           f"- Each row: {meta['runs']} run(s) of {d} s per wrk run (after a warm-up of "
           f"{meta['warmup'] + ' s' if meta.get('warmup') else 'up to 3 s'}), median and "
           f"min–max spread over the runs; wrk timeout {meta['wrk_timeout']}; wrk -t2 (-t1 for the 4-connection "
           "probes).",
           f"- warhorse sync kind runs with --threads {meta['sync_threads']}"
           + (f"; extra warhorse flags: `{meta['warhorse_args']}`" if meta.get("warhorse_args") else "") + ".",
           "- /query blocks " + (f"with via={meta['query_via']}" if meta.get("query_via") else
                                 "in a socket read from the fake database (one loopback connection per query)") + ".",
           ""]
    sections = {"S1": lambda: s1(records, meta), "S2": lambda: s2(records, meta), "S3": lambda: s3(records, meta),
                "S4": lambda: s4(records, meta), "startup": lambda: startup(records, meta, "startup"),
                "startup-slowdb": lambda: startup(records, meta, "startup-slowdb"),
                "respawn": lambda: respawn(records, meta), "lost": lambda: lost(records, meta),
                "recovery": lambda: recovery(records, meta), "goodput": lambda: goodput(records, meta)}
    titles = {"S1": "S1: GET /hello, 64 connections",
              "S2": "S2: GET /query?ms=100 (async kind: /async?ms=100), 1000 connections",
              "S3": "S3: health probes (4 connections) during 500 connections on /query?ms=500",
              "S4": "S4: GET /cpu at about 5 ms of CPU per request, 16 connections",
              "startup": "Start-up to the first 200 on /hello and idle RSS",
              "startup-slowdb": "Start-up to the first 200 of the slowdb app and idle RSS",
              "respawn": "Worker respawn: from killing the only worker to the new worker's first 200",
              "lost": "Requests lost during HUP, recycling and TERM",
              "recovery": "Recovery after an overload: 500 connections on /query?ms=500, then time to normal answers",
              "goodput": "Goodput at twice the capacity: /cpu, open-loop load"}
    for name in meta["scenarios"]:
        out += [f"## {titles.get(name, name)}", "", sections[name](), ""]
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: report.py bench/results/raw/<stamp>")
    print(render(sys.argv[1]))
