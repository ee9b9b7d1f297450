#!/usr/bin/env python3
"""warhorse benchmark harness: starts each target on 127.0.0.1, runs wrk scenarios against it, stops it, and
hands the raw results to report.py for the Markdown tables. Called by bench/run.sh (which installs wrk and
gunicorn and picks a JDK 25); run `bench/run.sh --help` for the usage. Python 3 standard library only.

Every loop here is bounded: readiness, stopping, wrk runs and calibration all have deadlines, and every process
this script starts runs in a session (process group) of its own that is TERMed then KILLed on the way out,
including on Ctrl-C or TERM.
"""
import argparse
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

import openload
import probe
import ratedload
import report

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)
HOST = "127.0.0.1"
WRK_TIMEOUT = "2s"          # a request slower than this counts as a timeout (wrk's default, made explicit)
READY_DEADLINE_S = 60       # start-up under load from parallel builds can be slow; the start-up scenario
STARTUP_DEADLINE_S = 30     # measures the real figure with its own deadline
STOP_DEADLINE_S = 10
CPU_TARGET_MS = 5.0
IDEAL_S2_RPS = 10_000
RESPAWN_SPACING_S = 6       # between kills: the master backs off respawns of workers that die under 5 s old
PROBE_CONNECTIONS = 8       # the request-accounting probe beside wrk in the lost scenario

LIVE = {}                   # pid -> Popen of every target / wrk we started and have not reaped yet


# ---------------------------------------------------------------------------------------------- scenarios
class Scenario:
    """One wrk load: which sample app it needs, the path, the connections; S3 adds health probes."""

    def __init__(self, name, app, path, connections, title, count_status=False):
        self.name, self.app, self.path, self.connections = name, app, path, connections
        self.title, self.count_status = title, count_status

    def path_for(self, target):
        return with_via(self.path)


def with_via(path):
    """/query blocks in a socket read from slowdb's fake database (one loopback TCP connection per query, which
    costs CPU at 10,000 queries/s) unless BENCH_QUERY_VIA=sleep makes every target sleep instead."""
    via = os.environ.get("BENCH_QUERY_VIA")
    return path + "&via=" + via if via and path.startswith("/query?") else path


class AsyncAwareS2(Scenario):
    """S2: the async kind is measured on async.war's /async (its natural shape), everyone else on /query."""

    def path_for(self, target):
        return "/async?ms=100" if target.kind == "async" else with_via(self.path)

    def app_for(self, target):
        return "async" if target.kind == "async" else self.app


SCENARIOS = {
    "S1": Scenario("S1", "hello", "/hello", 64, "S1: GET /hello, 64 connections"),
    "S2": AsyncAwareS2("S2", "slowdb", "/query?ms=100", 1000,
                       "S2: GET /query?ms=100 (async kind: /async?ms=100), 1000 connections", count_status=True),
    "S3": Scenario("S3", "slowdb", "/query?ms=500", 500,
                   "S3: health probes at 4 connections while 500 connections load GET /query?ms=500",
                   count_status=True),
    "S4": Scenario("S4", "cpu", "/cpu?n={n}", 16, "S4: GET /cpu (about 5 ms of CPU per request), 16 connections"),
    "startup": Scenario("startup", "hello", "/hello", 0, "Start-up to the first 200 on /hello, and idle RSS"),
    "startup-slowdb": Scenario("startup-slowdb", "slowdb", "/query?ms=0", 0,
                               "Start-up to the first 200 on /query?ms=0 (slowdb app), and idle RSS"),
    "respawn": Scenario("respawn", "hello", "/hello", 0,
                        "Time from killing the only worker to the respawned worker's first 200 (hello, slowdb)"),
    "lost": Scenario("lost", "hello", "/hello", 16,
                     "Requests lost during HUP, recycling and TERM under a steady wrk load (goal: 0)"),
    "recovery": Scenario("recovery", "slowdb", "/query?ms=500", 500,
                         "Recovery: after 500 connections on GET /query?ms=500, time to normal answers again"),
    "goodput": Scenario("goodput", "cpu", "/cpu?n={n}", 16,
                        "Goodput: 2xx/s of an open-loop load at twice the capacity on GET /cpu, over the capacity"),
}
DEFAULT_SCENARIOS = ["S1", "S2", "S3", "S4", "startup", "recovery", "goodput"]
RECOVERY_DEADLINE_S = 60    # an async worker once stayed stuck for more than this after an overload
NORMAL_MS = 100             # recovery: an answer is normal when it is a 200 within this
NORMAL_IN_A_ROW = 5         # ... and recovered when this many normal answers came in a row


# ------------------------------------------------------------------------------------------------ targets
class Target:
    """A server under test. command(port, app) is the argv; baselines serve every path, whatever the app."""

    def __init__(self, name, family, kind=None, workers=1, pinned=False):
        self.name, self.family, self.kind, self.workers, self.pinned = name, family, kind, workers, pinned
        self.unavailable = None  # a note why it cannot run (no distribution, no gunicorn...)

    def command(self, port, app, env):
        java = os.path.join(env["JAVA_HOME"], "bin", "java")
        cp = os.path.join(BENCH, "targets", "target", "classes") + os.pathsep + \
            os.path.join(BENCH, "targets", "target", "lib", "*")
        opts = env.get("BENCH_JAVA_OPTS", "").split()
        if self.family == "warhorse":
            home = warhorse_home()
            argv = [os.path.join(home, "bin", "warhorse"), "--worker", self.kind, "--bind", f"{HOST}:{port}"]
            if self.workers > 1:
                argv += ["--workers", str(self.workers)]
            if self.pinned:
                argv += ["--cpu-affinity"]
            if self.kind == "sync":
                argv += ["--threads", str(sync_threads())]
            argv += env.get("WARHORSE_ARGS", "").split()
            return argv + [os.path.join(home, "apps", f"{app}.war") + "=/"]
        if self.name == "raw-undertow":
            return [java] + opts + ["-cp", cp, "io.warhorse.bench.RawUndertow", str(port)]
        if self.name == "undertow-servlet":
            return [java] + opts + ["-cp", cp, "io.warhorse.bench.UndertowServletServer", str(port)]
        if self.family == "tomcat":
            return [java] + opts + ["-cp", cp, "io.warhorse.bench.TomcatServer", str(port), self.kind]
        if self.family == "gunicorn":
            argv = ["gunicorn", "-k", self.kind, "-w", str(self.workers), "-b", f"{HOST}:{port}",
                    "--chdir", os.path.join(BENCH, "gunicorn"), "--log-level", "warning"]
            if self.kind == "gthread":
                argv += ["--threads", os.environ.get("GUNICORN_THREADS", "16")]
            return argv + os.environ.get("GUNICORN_ARGS", "").split() + ["app:application"]
        raise ValueError(self.name)


def warmup_s(duration):
    """Seconds of wrk before a load scenario's runs: BENCH_WARMUP, else 3 (at most the run's duration). warhorse's
    workers were still getting faster on S1 after 10 s (the JIT), Tomcat was not: read S1 after a longer one."""
    given = os.environ.get("BENCH_WARMUP")
    return int(given) if given else min(3, duration)


def sync_threads():
    return int(os.environ.get("WARHORSE_SYNC_THREADS", "32"))


def warhorse_home():
    return os.environ.get("WARHORSE_HOME") or os.path.join(ROOT, "distribution", "target", "warhorse")


WARHORSE_TARGETS = [Target(f"warhorse-{k}" + ("-w2" if w == 2 else ""), "warhorse", k, w)
                    for w in (1, 2) for k in ("sync", "virtual", "async")] + \
                   [Target(f"warhorse-{k}-w2p", "warhorse", k, 2, pinned=True) for k in ("sync", "virtual", "async")]
BASELINES = [Target("raw-undertow", "undertow"), Target("undertow-servlet", "undertow"),
             Target("tomcat-platform", "tomcat", "platform"), Target("tomcat-virtual", "tomcat", "virtual")]
GUNICORN_TARGETS = [Target(f"gunicorn-{k}", "gunicorn", k, int(os.environ.get("GUNICORN_WORKERS", "2")))
                    for k in ("sync", "gthread", "gevent")]
ALL_TARGETS = WARHORSE_TARGETS + BASELINES + GUNICORN_TARGETS
GROUPS = {"warhorse": WARHORSE_TARGETS, "baselines": BASELINES, "gunicorn": GUNICORN_TARGETS}


# ---------------------------------------------------------------------------------------------- processes
def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def spawn(argv, log_path, env=None):
    log = open(log_path, "ab")
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True, cwd=ROOT, env=env)
    log.close()
    LIVE[proc.pid] = proc
    return proc


def stop(proc):
    """TERM the process group, KILL it after STOP_DEADLINE_S; also KILLs stragglers left in the group."""
    if proc is None:
        return
    for sig, wait in ((signal.SIGTERM, STOP_DEADLINE_S), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and group_alive(proc.pid):
            proc.poll()
            time.sleep(0.05)
        if not group_alive(proc.pid):
            break
    proc.poll()
    LIVE.pop(proc.pid, None)


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie leader still counts for killpg: look for a live member.
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[2]) == pgid and fields[0] != "Z":
                    return True
            except (OSError, IndexError, ValueError):
                continue
    return False


def cleanup(*_):
    for proc in list(LIVE.values()):
        stop(proc)


def on_signal(signum, _frame):
    print(f"\nbench: {signal.Signals(signum).name}: stopping every process started, then exiting", flush=True)
    cleanup()
    sys.exit(130)


# ------------------------------------------------------------------------------------------------- HTTP
def get(port, path, timeout=5.0, conn=None):
    """(status, body) of one GET, or (None, error text)."""
    own = conn is None
    try:
        conn = conn or http.client.HTTPConnection(HOST, port, timeout=timeout)
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as e:
        return None, f"{type(e).__name__}: {e}"
    finally:
        if own and conn is not None:
            conn.close()


def wait_ready(proc, port, path, deadline_s, poll_s=0.015):
    """Seconds from now until path answers 200, or raises RuntimeError with the reason."""
    start = time.monotonic()
    last = None
    while time.monotonic() - start < deadline_s:
        if proc.poll() is not None:
            raise RuntimeError(f"exited with status {proc.returncode} before answering")
        status, body = get(port, path, timeout=2.0)
        if status == 200:
            return time.monotonic() - start
        last = status if status is not None else body
        time.sleep(poll_s)
    raise RuntimeError(f"no 200 on {path} within {deadline_s} s (last: {last})")


def wait_workers_ready(proc, port, workers, deadline_s, poll_s=0.1):
    """Waits until the master's admin listener (the app port + 1000, its default) lists `workers` ready workers.
    The first 200 comes from the first worker to boot: wrk's connections, opened then and kept alive for the whole
    warm-up, would all go to that worker, and the measured runs would find the others cold (still compiling: a
    second worker's C2 thread took 3.7 of the 10 s of a measured run after 90 s of such a warm-up)."""
    start = time.monotonic()
    ready = []
    while time.monotonic() - start < deadline_s:
        if proc.poll() is not None:
            raise RuntimeError(f"exited with status {proc.returncode} before its {workers} workers were ready")
        status, body = get(port + 1000, "/metrics.json", timeout=2.0)
        if status == 200:
            try:
                ready = [w for w in json.loads(body).get("workers", []) if w.get("state") == "ready"]
            except ValueError:
                ready = []
            if len(ready) >= workers:
                return
        time.sleep(poll_s)
    raise RuntimeError(f"{len(ready)} of {workers} workers ready within {deadline_s} s (admin listener on port {port + 1000})")


# ---------------------------------------------------------------------------------------------------- RSS
def process_tree(root_pid):
    """[(pid, ppid, rss_kib, name)] of root_pid and all its descendants."""
    table = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/status") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
            rss = int(fields.get("VmRSS", "0 kB").split()[0])
            table[int(pid)] = (int(fields["PPid"]), rss, fields["Name"].strip())
        except (OSError, KeyError, ValueError):
            continue
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        if pid in table:
            ppid, rss, name = table[pid]
            tree.append((pid, ppid, rss, name))
            todo += [p for p, (pp, _, _) in table.items() if pp == pid]
    return tree


def rss_summary(root_pid):
    """Total RSS (MiB) of the tree, and the RSS of the 'workers': processes whose parent is of the same
    program (a warhorse master's java children, a gunicorn arbiter's children)."""
    tree = process_tree(root_pid)
    names = {pid: name for pid, _, _, name in tree}
    total = sum(rss for _, _, rss, _ in tree) / 1024
    workers = [rss / 1024 for pid, ppid, rss, name in tree if names.get(ppid) == name]
    root = sum(rss for pid, _, rss, _ in tree if pid == root_pid) / 1024
    pss = [pss_kib(pid) for pid, _, _, _ in tree]
    return {"total_mib": round(total, 1), "workers_mib": [round(w, 1) for w in sorted(workers)],
            "root_mib": round(root, 1), "pss_mib": None if None in pss else round(sum(pss) / 1024, 1),
            "processes": [{"pid": p, "ppid": pp, "rss_mib": round(r / 1024, 1), "name": n} for p, pp, r, n in tree]}


def pss_kib(pid):
    """The process's proportional set size (KiB): its RSS with each page shared by n processes counted 1/n, so
    the pages a master and its workers share (libjvm, the JDK's class-data archive) are counted once in a sum."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
    except (OSError, StopIteration, ValueError):
        return None


# ---------------------------------------------------------------------------------------------------- wrk
def wrk(port, path, connections, duration_s, threads=2, count_status=False, log=None):
    threads = max(1, min(threads, connections))
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration_s}s", f"--timeout={WRK_TIMEOUT}", "--latency",
            "-s", os.path.join(BENCH, "wrk", "report.lua"), f"http://{HOST}:{port}{path}"]
    env = dict(os.environ, WRK_COUNT_STATUS="1" if count_status else "0")
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, env=env,
                            text=True)
    LIVE[proc.pid] = proc
    try:
        out, _ = proc.communicate(timeout=duration_s + 30)
    except subprocess.TimeoutExpired:
        stop(proc)
        return {"failed": f"wrk did not finish within {duration_s + 30} s"}
    LIVE.pop(proc.pid, None)
    if log:
        with open(log, "a") as f:
            f.write(f"$ {' '.join(argv)}\n{out}\n")
    match = re.search(r"^WRK_RESULT (.*)$", out, re.M)
    if not match:
        return {"failed": "wrk printed no result: " + " | ".join(out.strip().splitlines()[-3:])}
    return json.loads(match.group(1))


def wrk_async(port, path, connections, duration_s, threads, count_status, log, delay_s):
    """Starts a wrk after delay_s in a thread; returns a callable that waits for and returns its result."""
    import threading
    box = {}

    def run():
        time.sleep(delay_s)
        box["result"] = wrk(port, path, connections, duration_s, threads, count_status, log)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return lambda: (thread.join(duration_s + delay_s + 40), box.get("result", {"failed": "wrk thread hung"}))[1]


# ----------------------------------------------------------------------------------------------- the runs
class Run:
    """One invocation: options, where results go, and the record() of every measurement."""

    def __init__(self, args):
        self.args = args
        self.stamp = datetime.datetime.now().strftime("%Y-%m-%dT%H%M%S")
        self.raw = os.path.join(BENCH, "results", "raw", self.stamp)
        os.makedirs(os.path.join(self.raw, "logs"), exist_ok=True)
        self.records_path = os.path.join(self.raw, "records.jsonl")
        self.env = dict(os.environ)

    def record(self, **fields):
        with open(self.records_path, "a") as f:
            f.write(json.dumps(fields) + "\n")

    def log(self, target, scenario):
        return os.path.join(self.raw, "logs", f"{scenario}-{target}.log")


def say(message):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def app_of(scenario, target):
    return scenario.app_for(target) if hasattr(scenario, "app_for") else scenario.app


def start_target(run, target, scenario, deadline_s=READY_DEADLINE_S):
    """(proc, port, seconds to first 200) with the scenario's app; raises RuntimeError with a note."""
    if target.unavailable:
        raise RuntimeError(target.unavailable)
    port = free_port()
    app = app_of(scenario, target)
    log = run.log(target.name, scenario.name)
    argv = target.command(port, app, run.env)
    with open(log, "a") as f:
        f.write(f"$ {' '.join(argv)}\n")
        f.flush()
    launched = time.monotonic()
    proc = spawn(argv, log, run.env)
    probe = ready_path(scenario, target)
    try:
        wait_ready(proc, port, probe, deadline_s)
        first_200 = time.monotonic() - launched
        if target.family == "warhorse" and target.workers > 1:
            wait_workers_ready(proc, port, target.workers, deadline_s)
    except RuntimeError as e:
        stop(proc)
        raise RuntimeError(f"{e}; log: {os.path.relpath(log, ROOT)}: {tail(log)}") from None
    return proc, port, first_200


def start_or_record(run, target, scenario):
    """(proc, port) of the started target, or (None, None) once the reason it did not start is recorded. A warhorse
    target's AOT cache for the scenario's app is recorded first (once per run), so no measured worker is the one
    recording it."""
    prime_aot_cache(run, target, scenario)
    try:
        proc, port, _ = start_target(run, target, scenario)
        return proc, port
    except RuntimeError as e:
        run.record(scenario=scenario.name, target=target.name, failed=str(e))
        return None, None


def ready_path(scenario, target):
    if scenario.app == "cpu":
        return "/cpu?n=0"
    if scenario.app == "slowdb" and not (scenario.name == "S2" and target.kind == "async"):
        return "/query?ms=0"
    if scenario.name == "S2" and target.kind == "async":
        return "/async?ms=0"
    return "/hello"


def tail(path, lines=3):
    try:
        with open(path, errors="replace") as f:
            text = [line.strip() for line in f.read().splitlines() if line.strip()]
        return " | ".join(text[-lines:])[-400:]
    except OSError:
        return ""


def check_paths(port, paths):
    """None if every path answers 200, else a note naming the first that does not."""
    for path in paths:
        status, body = get(port, path, timeout=10)
        if status != 200:
            shown = status if status is not None else body
            return f"{path} answered {shown}, not 200"
    return None


def health_paths(target):
    """warhorse's own /-/healthy, and on every kind the app's /health, a route of the app beside the blocking one."""
    if target.family == "warhorse":
        return ["/-/healthy", "/health"]
    return ["/health"]


def measure_load(run, target, scenario):
    """S1, S2, S4: warm up, then N wrk runs."""
    n_runs, duration = run.args.runs, run.args.duration
    proc, port = start_or_record(run, target, scenario)
    if proc is None:
        return
    log = run.log(target.name, scenario.name)
    extra = {}
    try:
        path = scenario.path_for(target)
        if scenario.name == "S4":
            n, note = cpu_rounds(port, target)
            if n is None:
                return run.record(scenario=scenario.name, target=target.name, failed=note)
            path = path.format(n=n)
        note = check_paths(port, [path]) or (same_work(port, path, target) if scenario.name == "S4" else None)
        if note:
            return run.record(scenario=scenario.name, target=target.name, failed=note)
        say(f"{scenario.name} {target.name}: warm-up {warmup_s(duration)} s on {path}")
        wrk(port, path, scenario.connections, warmup_s(duration), log=log)
        probe = ready_path(scenario, target)
        busy = drain(port, probe)
        if scenario.name == "S4":
            cost = cpu_cost_ms(port, n)
            extra = {"cpu_n": n, "cpu_ms": None if cost is None else round(cost, 2)}
        log_mark = os.path.getsize(log)
        for i in range(n_runs):
            measured_run(run, target, scenario, port, path, i, busy, log, **extra)
            busy = drain(port, probe)
        if scenario.name == "S4" and target.kind == "async":
            run.record(scenario=scenario.name, target=target.name, watchdog_lines=count_watchdog(log, log_mark))
    finally:
        stop(proc)


def measured_run(run, target, scenario, port, path, i, busy, log, **extra):
    """Run i of the scenario's wrk on the target, recorded; busy is drain's note from before it, if any."""
    result = wrk(port, path, scenario.connections, run.args.duration, count_status=scenario.count_status, log=log)
    say(f"{scenario.name} {target.name} run {i + 1}/{run.args.runs}: {short(result)}")
    if busy:
        result["busy_before"] = busy
    run.record(scenario=scenario.name, target=target.name, run=i + 1, path=path, wrk=result, **extra)


def measure_interleaved(run, targets, scenario):
    """S1: every target started and warmed up first, then the runs taken in rounds, one run of each target per
    round, each round starting one target further on (A B C, B C A, C A B...). On a shared machine whose load drifts
    over minutes, running all of one target's runs before the next target's put each target in its own stretch of
    that drift; in rounds, every target meets the same drift, and a ratio within the run compares like with like.
    The idle targets wait meanwhile (their compiled code stays; an idle JVM uses next to no CPU)."""
    n_runs, duration = run.args.runs, run.args.duration
    up = []  # (target, proc, port, probe, log)
    try:
        for target in targets:
            proc, port = start_or_record(run, target, scenario)
            if proc is None:
                continue
            up.append((target, proc, port, ready_path(scenario, target), run.log(target.name, scenario.name)))
        warm = []
        for target, proc, port, probe, log in up:
            path = scenario.path_for(target)
            note = check_paths(port, [path])
            if note:
                run.record(scenario=scenario.name, target=target.name, failed=note)
                stop(proc)
                continue
            say(f"{scenario.name} {target.name}: warm-up {warmup_s(duration)} s on {path}")
            wrk(port, path, scenario.connections, warmup_s(duration), log=log)
            warm.append((target, proc, port, probe, log, path))
        for i in range(n_runs):
            for k in range(len(warm)):
                target, proc, port, probe, log, path = warm[(i + k) % len(warm)]
                measured_run(run, target, scenario, port, path, i, drain(port, probe), log)
    finally:
        for target, proc, *_ in up:
            stop(proc)


def drain(port, probe, deadline_s=30):
    """Waits until the target is idle again: after a wrk run the requests it queued (wrk closed their
    connections) may still hold the target's threads, and would be measured by the next run. Idle means the
    cheap probe path answers 200 within 1 s. Returns a note if it never did."""
    start = time.monotonic()
    while time.monotonic() - start < deadline_s:
        t = time.monotonic()
        status, _ = get(port, probe, timeout=deadline_s)
        if status == 200 and time.monotonic() - t < 1:
            return None
        time.sleep(0.2)
    return f"still busy {deadline_s} s after a run"


def count_lines(log, offset, pattern):
    """Lines of a target's log, from offset on, that match pattern (None if the log cannot be read)."""
    try:
        with open(log, errors="replace") as f:
            f.seek(offset)
            return sum(1 for line in f if re.search(pattern, line))
    except OSError:
        return None


def count_watchdog(log, offset):
    """Reports of the async kind's watchdog in the worker log ("ASYNC THREAD BLOCKED: ...", one per task that held
    one of its few threads too long); it also counts them in the metric worker.async.watchdog.blocked."""
    return count_lines(log, offset, r"ASYNC THREAD BLOCKED|(?i:watchdog)")


def measure_health(run, target, scenario):
    """S3: the load on /query?ms=500, and during it each health path in turn at 4 connections."""
    n_runs, duration = run.args.runs, run.args.duration
    proc, port = start_or_record(run, target, scenario)
    if proc is None:
        return
    log = run.log(target.name, scenario.name)
    try:
        load_path = scenario.path_for(target)
        note = check_paths(port, [load_path])
        if note:
            return run.record(scenario=scenario.name, target=target.name, failed=note)
        probes = []
        for path in health_paths(target):
            note = check_paths(port, [path])
            if note:
                hint = " (warhorse's /-/healthy comes with a later change)" if path == "/-/healthy" else ""
                run.record(scenario=scenario.name, target=target.name, probe=path, failed=note + hint)
            else:
                probes.append(path)
        if not probes:
            return
        say(f"{scenario.name} {target.name}: warm-up {warmup_s(duration)} s")
        wrk(port, load_path, scenario.connections, warmup_s(duration), log=log)
        drain(port, ready_path(scenario, target))
        for i in range(n_runs):
            load_s = 1 + duration * len(probes) + 1
            load = wrk_async(port, load_path, scenario.connections, load_s, 2, False, log, 0)
            time.sleep(1)
            for probe in probes:
                result = wrk(port, probe, 4, duration, threads=1, count_status=True, log=log)
                say(f"{scenario.name} {target.name} run {i + 1}/{n_runs} {probe}: {short(result)}")
                run.record(scenario=scenario.name, target=target.name, run=i + 1, probe=probe, wrk=result)
            run.record(scenario=scenario.name, target=target.name, run=i + 1, probe="load", path=load_path,
                       wrk=load())
            drain(port, ready_path(scenario, target))
    finally:
        stop(proc)


CPU_ROUNDS = {}   # implementation -> calibrated n, so that every target of one implementation does the same work
CPU_BODIES = {}   # implementation -> the first answer to /cpu?n=N, to check the others do the same work


def cpu_impl(target):
    """Which /cpu code a target runs: every Java target runs the same SHA-256 chain (cpu.war, or the baselines'
    copy of it); gunicorn runs hashlib's, whose cost per round is the interpreter's."""
    return "python" if target.family == "gunicorn" else "java"


def cpu_rounds(port, target):
    """(n, None) for about CPU_TARGET_MS per request, calibrated on the first target of each implementation
    (BENCH_CPU_N fixes it for the Java targets), or (None, note)."""
    impl = cpu_impl(target)
    if impl == "java" and os.environ.get("BENCH_CPU_N"):
        return int(os.environ["BENCH_CPU_N"]), None
    if impl not in CPU_ROUNDS:
        try:
            CPU_ROUNDS[impl] = calibrate_cpu(port, 50_000 if impl == "java" else 5_000)
        except RuntimeError as e:
            return None, str(e)
        say(f"S4: {impl} /cpu calibrated on {target.name}: n={CPU_ROUNDS[impl]}")
    return CPU_ROUNDS[impl], None


def same_work(port, path, target):
    """None if the answer to path is the one the first target of the same implementation gave."""
    status, body = get(port, path, timeout=30)
    first = CPU_BODIES.setdefault(cpu_impl(target), body)
    return None if body == first else f"{path} answered {body.strip()!r}, another target {first.strip()!r}"


def cpu_timer(port):
    """A function n -> fastest of 9 sequential /cpu?n=N on one keep-alive connection, in ms. The fastest, not
    the median: the other engineers' builds on these cores only ever add time."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)

    def fastest_ms(n, times=9):
        samples = []
        for _ in range(times):
            t = time.perf_counter()
            status, body = get(port, f"/cpu?n={n}", conn=conn)
            if status != 200:
                raise RuntimeError(f"/cpu?n={n} answered {status if status else body}")
            samples.append((time.perf_counter() - t) * 1000)
        return min(samples)
    return fastest_ms, conn


def calibrate_cpu(port, start_n, rounds=10):
    """n such that /cpu?n=N costs about CPU_TARGET_MS more than /cpu?n=0."""
    fastest_ms, conn = cpu_timer(port)
    try:
        for _ in range(3):                     # let the JIT compile the loop first
            fastest_ms(start_n // 4)
        base = fastest_ms(0)
        n = start_n
        for _ in range(rounds):
            work = fastest_ms(n) - base
            if work < 0.5:
                n *= 8
                continue
            new = max(1, int(n * CPU_TARGET_MS / work))
            close = abs(new - n) <= 0.03 * n
            n = new
            if close:
                break
        return n
    finally:
        conn.close()


def cpu_cost_ms(port, n):
    fastest_ms, conn = cpu_timer(port)
    try:
        return fastest_ms(n) - fastest_ms(0)
    except RuntimeError:
        return None
    finally:
        conn.close()


PRIMED = set()  # (target, app) whose AOT cache this run has recorded


def prime_aot_cache(run, target, scenario):
    """warhorse's workers start from an AOT cache that the first worker records and the master assembles after it
    exits (see the README's Start-up): the classes it loaded and the profiles of the methods it ran, which let the
    JIT compile the hot ones sooner. A figure is about the steady state, not the first start ever on a machine, and a
    recording worker is slower: once per target and app in a run, start the target, serve a few requests and 3 s of
    wrk on the scenario's cheap path (so the profiles are of real traffic), stop it, and wait (bounded) until no
    cache assembler runs. The master's own cache is built by bin/warhorse across launches (the first records, the
    next assembles): two such starts, then. Recorded, so the table can say it."""
    key = (target.name, app_of(scenario, target))
    if target.family != "warhorse" or target.unavailable or key in PRIMED:
        return
    PRIMED.add(key)
    for _ in range(2):
        try:
            proc, port, _ = start_target(run, target, scenario)
        except RuntimeError as e:
            return run.record(scenario=scenario.name, target=target.name, failed=f"priming the AOT cache: {e}")
        try:
            for _ in range(20):
                get(port, ready_path(scenario, target))
            wrk(port, ready_path(scenario, target), 16, 3, log=run.log(target.name, scenario.name))
        finally:
            stop(proc)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and assembling():
            time.sleep(0.1)


def assembling():
    """Whether a JVM assembling an AOT cache (java -XX:AOTMode=create) runs on this machine."""
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if b"-XX:AOTMode=create" in f.read():
                        return True
            except OSError:
                continue
    return False


def measure_startup(run, targets, scenario):
    """Start-up to the first 200 (N launches of each target), then idle RSS after a few requests. In rounds, one
    launch of each target per round, each round starting one target further on, as S1's runs: a machine whose load
    drifts over minutes then slows every target alike, instead of the ones whose launches fell in a slow stretch."""
    for target in targets:
        prime_aot_cache(run, target, scenario)
    failed = set()
    for i in range(run.args.runs):
        for k in range(len(targets)):
            target = targets[(i + k) % len(targets)]
            if target.name in failed:
                continue
            if target.unavailable:
                run.record(scenario=scenario.name, target=target.name, failed=target.unavailable)
                failed.add(target.name)
            elif not startup_once(run, target, scenario, i):
                failed.add(target.name)


def startup_once(run, target, scenario, i):
    """One launch of run i: first 200, idle RSS, RSS after warm-up, recorded; False (recorded) if it did not start."""
    probe = ready_path(scenario, target)
    log = run.log(target.name, scenario.name)
    logged = os.path.getsize(log) if os.path.exists(log) else 0
    try:
        proc, port, seconds = start_target(run, target, scenario, deadline_s=STARTUP_DEADLINE_S)
    except RuntimeError as e:
        run.record(scenario=scenario.name, target=target.name, failed=str(e))
        return False
    try:
        for _ in range(20):
            get(port, probe)
        time.sleep(1)
        rss = rss_summary(proc.pid)
        # warmed up as by S1: the heap grown and the hot code compiled, as the "RSS after warm-up"
        wrk(port, probe, 64, min(5, run.args.duration), log=run.log(target.name, scenario.name))
        drain(port, probe)
        time.sleep(1)
        warm = rss_summary(proc.pid)
        boot = worker_boot(log, logged)
        say(f"{scenario.name} {target.name} run {i + 1}: first 200 after {seconds * 1000:.0f} ms, "
            f"worker spawn to ready {boot.get('spawn_to_ready_ms', '-')} ms, RSS {rss['total_mib']} MiB (workers {rss['workers_mib']}), after warm-up {warm['total_mib']} MiB "
            f"(main process {warm['root_mib']}, workers {warm['workers_mib']})")
        run.record(scenario=scenario.name, target=target.name, run=i + 1, startup_ms=round(seconds * 1000, 1),
                   rss=rss, warm_rss=warm, **boot)
    finally:
        stop(proc)
    return True


def worker_boot(log, offset):
    """From a warhorse launch's log (from offset on): the master's spawn-to-ready of its first worker ("booted in N
    ms", the worker accepting on the shared socket) and the phases the worker logged; {} for other targets."""
    try:
        with open(log, errors="replace") as f:
            f.seek(offset)
            text = f.read()
    except OSError:
        return {}
    ready = re.search(r"ready \(\w+ kind, booted in (\d+) ms\)", text)
    phases = re.search(r"; boot (jvm [^\n]*)", text)
    return {**({"spawn_to_ready_ms": int(ready.group(1))} if ready else {}),
            **({"boot_phases": phases.group(1).strip()} if phases else {})}


def measure_recovery(run, target, scenario):
    """After each overload (500 connections on the blocking /query?ms=500 for --duration s, wrk then closing them
    all, as clients that gave up), the time until the target answers normally again: a cheap request on a new
    connection every 20 ms, recovered at the first of NORMAL_IN_A_ROW 200s in a row, each within NORMAL_MS."""
    proc, port = start_or_record(run, target, scenario)
    if proc is None:
        return
    log = run.log(target.name, scenario.name)
    probe = ready_path(scenario, target)
    try:
        load_path = scenario.path_for(target)
        note = check_paths(port, [load_path])
        if note:
            return run.record(scenario=scenario.name, target=target.name, failed=note)
        for i in range(run.args.runs):
            busy = drain(port, probe)
            result = wrk(port, load_path, scenario.connections, run.args.duration, count_status=True, log=log)
            seconds = recovered_after(port, probe, time.monotonic())
            shown = "not within %d s" % RECOVERY_DEADLINE_S if seconds is None else f"{seconds * 1000:.0f} ms"
            say(f"{scenario.name} {target.name} run {i + 1}: overload {short(result)}; normal again after {shown}")
            run.record(scenario=scenario.name, target=target.name, run=i + 1, path=probe, wrk=result,
                       recovery_ms=None if seconds is None else round(seconds * 1000, 1), busy_before=busy)
    finally:
        stop(proc)


def recovered_after(port, path, load_ended):
    """Seconds from load_ended to the first of NORMAL_IN_A_ROW normal answers in a row, or None at the deadline."""
    streak_start, streak = None, 0
    while time.monotonic() - load_ended < RECOVERY_DEADLINE_S:
        sent = time.monotonic()
        status, _ = get(port, path, timeout=2.0)
        if status == 200 and time.monotonic() - sent <= NORMAL_MS / 1000:
            streak_start = sent if streak == 0 else streak_start
            streak += 1
            if streak == NORMAL_IN_A_ROW:
                return streak_start - load_ended
        else:
            streak = 0
        time.sleep(max(0.0, 0.02 - (time.monotonic() - sent)))
    return None


def measure_goodput(run, target, scenario):
    """Capacity: 2xx/s of /cpu (about 5 ms of CPU) at 16 connections, closed loop, as S4. Then an open-loop load
    (new requests at a fixed rate whatever the answers, as users arrive) at twice that rate for --duration s;
    goodput = 2xx answered within the client timeout per second, over the capacity. The open loop is made by
    openload.py, or with BENCH_GOODPUT_CLIENT=h2load by h2load (ratedload.py), which costs the shared cores a fifth
    of openload.py's CPU but reads none of Tomcat's answers."""
    proc, port = start_or_record(run, target, scenario)
    if proc is None:
        return
    log = run.log(target.name, scenario.name)
    try:
        n, note = cpu_rounds(port, target)
        path = scenario.path_for(target).format(n=n) if n is not None else None
        note = note or check_paths(port, [path]) or same_work(port, path, target)
        if note:
            return run.record(scenario=scenario.name, target=target.name, failed=note)
        wrk(port, path, scenario.connections, min(3, run.args.duration), log=log)
        probe = ready_path(scenario, target)
        for i in range(run.args.runs):
            drain(port, probe)
            capacity = wrk(port, path, scenario.connections, run.args.duration, count_status=True, log=log)
            if "failed" in capacity:
                run.record(scenario=scenario.name, target=target.name, run=i + 1, failed=capacity["failed"])
                continue
            rate = 2 * report.ok_rate(capacity)
            drain(port, probe)
            offered = open_loop().run(HOST, port, path, rate, run.args.duration, float(WRK_TIMEOUT.rstrip("s")))
            say(f"{scenario.name} {target.name} run {i + 1}: capacity {report.ok_rate(capacity):.0f} 2xx/s; at "
                f"{rate:.0f} req/s offered: {offered['ok_per_s']:.0f} 2xx/s in time, {offered}")
            run.record(scenario=scenario.name, target=target.name, run=i + 1, path=path, capacity=capacity,
                       offered=offered, cpu_n=n)
    finally:
        stop(proc)


def open_loop():
    """The goodput scenario's open-loop client: openload, or ratedload (h2load) with BENCH_GOODPUT_CLIENT=h2load."""
    if os.environ.get("BENCH_GOODPUT_CLIENT", "python") == "h2load":
        if not shutil.which("h2load"):
            sys.exit("bench: BENCH_GOODPUT_CLIENT=h2load, but no h2load on the PATH (Debian: nghttp2-client)")
        return ratedload
    return openload


def measure_lost(run, target, scenario):
    """Hook for the master benchmarks: requests lost under a steady wrk while the master gets HUP (reload), and
    while it gets TERM (graceful stop). Beside wrk, probe.py sends requests on a few keep-alive connections of its
    own and classifies each (ok, non-2xx, refused, lost), because wrk's error counts cannot tell a request lost
    from a connect refused after the listener closed. Recycling (max requests) is exercised when
    WARHORSE_RECYCLE_ARGS gives the flags, e.g. "--max-requests 500"."""
    if target.family != "warhorse":
        return
    duration = max(3, run.args.duration)
    cases = [("HUP", signal.SIGHUP, ""), ("TERM", signal.SIGTERM, "")]
    if os.environ.get("WARHORSE_RECYCLE_ARGS"):
        cases.append(("recycle", None, os.environ["WARHORSE_RECYCLE_ARGS"]))
    for label, sig, extra_args in cases:
        saved = run.env.get("WARHORSE_ARGS", "")
        run.env["WARHORSE_ARGS"] = (saved + " " + extra_args).strip()
        try:
            proc, port, _ = start_target(run, target, scenario)
        except RuntimeError as e:
            run.record(scenario=scenario.name, target=target.name, probe=label, failed=str(e))
            continue
        finally:
            run.env["WARHORSE_ARGS"] = saved
        log = run.log(target.name, "lost")
        offset = os.path.getsize(log) if os.path.exists(log) else 0
        try:
            load = wrk_async(port, "/hello", scenario.connections, duration, 2, True, log, 0)
            accounting = probe.start(port, "/hello", PROBE_CONNECTIONS)
            time.sleep(duration / 3)
            if sig is not None:
                os.kill(master_pid(proc.pid), sig)
            result = load()
            counted = accounting()
            counted["replaced"] = count_lines(log, offset, r"replacing worker \d+ .*; its replacement starts first")
            say(f"lost {target.name} {label}: {short(result)}; probe {counted}")
            run.record(scenario=scenario.name, target=target.name, run=1, probe=label, wrk=result, requests=counted)
        finally:
            stop(proc)


def measure_respawn(run, target, scenario):
    """Hook for the master benchmarks: spawn-to-first-request of a worker. With one worker, SIGKILL it and time
    until the probe path answers 200 again: the master notices, spawns a new worker, which boots, deploys the
    app and takes the connection the kernel kept queued. For the hello and slowdb apps, N kills each."""
    if target.family != "warhorse" or target.workers != 1:
        return
    for app, probe in (("hello", "/hello"), ("slowdb", "/query?ms=0")):
        label = f"{app} app"
        variant = Scenario("respawn", app, probe, 0, scenario.title)
        prime_aot_cache(run, target, variant)
        try:
            proc, port, _ = start_target(run, target, variant)
        except RuntimeError as e:
            run.record(scenario=scenario.name, target=target.name, probe=label, failed=str(e))
            continue
        try:
            for i in range(run.args.runs):
                worker = worker_pids(proc.pid)
                if not worker:
                    run.record(scenario=scenario.name, target=target.name, probe=label,
                               failed="no worker process (a java child of the java master) found")
                    break
                killed = time.monotonic()
                os.kill(worker[0], signal.SIGKILL)
                seconds = respawned(proc, port, probe, killed)
                if seconds is None:
                    run.record(scenario=scenario.name, target=target.name, probe=label,
                               failed=f"no 200 on {probe} within {STARTUP_DEADLINE_S} s of killing the worker")
                    break
                say(f"respawn {target.name} {label} run {i + 1}: first 200 {seconds * 1000:.0f} ms after the kill")
                run.record(scenario=scenario.name, target=target.name, probe=label, run=i + 1,
                           respawn_ms=round(seconds * 1000, 1))
                time.sleep(RESPAWN_SPACING_S)
        finally:
            stop(proc)


def respawned(proc, port, probe, killed):
    """Seconds from killed to the next 200 (the dead worker can serve none), or None after the deadline."""
    while time.monotonic() - killed < STARTUP_DEADLINE_S:
        if proc.poll() is not None:
            return None
        status, _ = get(port, probe, timeout=STARTUP_DEADLINE_S)
        if status == 200:
            return time.monotonic() - killed
        time.sleep(0.01)
    return None


def worker_pids(root_pid):
    tree = process_tree(root_pid)
    names = {pid: name for pid, _, _, name in tree}
    return [pid for pid, ppid, _, name in tree if name == "java" and names.get(ppid) == "java"]


def master_pid(root_pid):
    """The warhorse master: the top java process of the tree (bin/warhorse may be a shell that runs it)."""
    tree = process_tree(root_pid)
    names = {pid: name for pid, _, _, name in tree}
    for pid, ppid, _, name in tree:
        if name == "java" and names.get(ppid) != "java":
            return pid
    return root_pid


def short(result):
    if "failed" in result:
        return "FAILED " + result["failed"]
    e = result["errors"]
    errors = e["connect"] + e["read"] + e["write"] + e["timeout"] + e["status"]
    return f"{result['rps']:.0f} req/s, p99 {result['p99_ms']} ms, errors {errors}"


# ---------------------------------------------------------------------------------------------- building
def build(run, targets):
    """Builds the baselines, and warhorse's distribution if a warhorse target is asked for and it is missing.
    A warhorse that does not build marks its targets unavailable (their rows say why) instead of stopping."""
    if any(t.family in ("undertow", "tomcat") for t in targets):
        say("building the baselines (bench/targets)")
        ok, note = mvn(run, ["-f", os.path.join(BENCH, "targets", "pom.xml"), "package"], "build-targets")
        if not ok:
            for t in targets:
                if t.family in ("undertow", "tomcat"):
                    t.unavailable = "bench/targets did not build: " + note
    if any(t.family == "warhorse" for t in targets):
        launcher = os.path.join(warhorse_home(), "bin", "warhorse")
        stale = run.args.rebuild and not os.environ.get("WARHORSE_HOME")
        if stale or (not os.access(launcher, os.X_OK) and not os.environ.get("WARHORSE_HOME")):
            say("building warhorse's distribution (mvn -pl distribution -am)")
            mvn(run, ["-DskipTests", "package", "-pl", "distribution", "-am"], "build-warhorse")
        missing = [p for p in [launcher] + [os.path.join(warhorse_home(), "apps", f"{a}.war")
                                            for a in ("hello", "slowdb", "async", "cpu")] if not os.path.exists(p)]
        if missing:
            note = f"warhorse distribution not built: no {os.path.relpath(missing[0], ROOT)}" + \
                (f" (and {len(missing) - 1} more files)" if len(missing) > 1 else "") + \
                f"; build log: {os.path.relpath(os.path.join(run.raw, 'logs', 'build-warhorse.log'), ROOT)}"
            for t in targets:
                if t.family == "warhorse":
                    t.unavailable = note
    if any(t.family == "gunicorn" for t in targets) and not shutil.which("gunicorn"):
        for t in targets:
            if t.family == "gunicorn":
                t.unavailable = "gunicorn not installed (bench/run.sh --with-gunicorn installs it)"


def mvn(run, args, label):
    log = os.path.join(run.raw, "logs", label + ".log")
    command = ". bin/jdk25.sh && mvn -B -q -ntp " + " ".join(args)
    with open(log, "w") as f:
        try:
            done = subprocess.run(["bash", "-c", command], cwd=ROOT, stdout=f, stderr=subprocess.STDOUT,
                                  timeout=900)
        except subprocess.TimeoutExpired:
            return False, "mvn took over 900 s"
    if done.returncode != 0:
        return False, f"mvn exited {done.returncode} (log: {os.path.relpath(log, ROOT)}: {tail(log)})"
    return True, None


# --------------------------------------------------------------------------------------------------- main
def parse(argv):
    parser = argparse.ArgumentParser(prog="bench/run.sh", add_help=False)
    parser.add_argument("--with-gunicorn", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.duration < 1:
        parser.error("--runs and --duration must be at least 1")
    scenarios, targets = [], []
    by_name = {t.name: t for t in ALL_TARGETS}
    for name in args.names:
        if name in SCENARIOS:
            scenarios.append(name)
        elif name in by_name:
            targets.append(by_name[name])
        elif name in GROUPS:
            targets += GROUPS[name]
        else:
            parser.error(f"unknown target or scenario '{name}'; targets: {', '.join(by_name)} "
                         f"(groups: {', '.join(GROUPS)}); scenarios: {', '.join(SCENARIOS)}")
    if not targets:
        targets = WARHORSE_TARGETS + BASELINES + (GUNICORN_TARGETS if args.with_gunicorn else [])
    args.targets = list(dict.fromkeys(targets))
    args.scenarios = list(dict.fromkeys(scenarios)) or DEFAULT_SCENARIOS
    return args


def main(argv):
    args = parse(argv)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    run = Run(args)
    try:
        report.write_meta(run.raw, args, [t.name for t in args.targets], IDEAL_S2_RPS, sync_threads(), WRK_TIMEOUT)
        build(run, args.targets)
        for name in args.scenarios:
            scenario = SCENARIOS[name]
            measure = {"S3": measure_health, "respawn": measure_respawn, "lost": measure_lost, "recovery": measure_recovery,
                       "goodput": measure_goodput}.get(name, measure_load)
            say(f"== {scenario.title}")
            if name == "S1":
                measure_interleaved(run, args.targets, scenario)
                continue
            if name in ("startup", "startup-slowdb"):
                measure_startup(run, args.targets, scenario)
                continue
            for target in args.targets:
                measure(run, target, scenario)
    finally:
        cleanup()
    markdown = report.render(run.raw)
    print(markdown)
    out = os.path.join(BENCH, "results", f"{run.stamp}-{'-'.join(args.scenarios)}.md")
    with open(out, "w") as f:
        f.write(markdown)
    say(f"table written to {os.path.relpath(out, ROOT)}; raw data and logs in {os.path.relpath(run.raw, ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
