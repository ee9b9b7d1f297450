"""Start-up A/B of warhorse installs: each install's caches recorded the same way, then launches alternated.

A worker's AOT cache holds the classes and method profiles of the worker that recorded it, so two builds whose
caches were recorded by different runs (one stopped at ready, one after load) differ in spawn to ready by more than
a small change does (6-8% measured on 2026-12-02, against 0.985x once recorded alike). So every install here gets a
cache file of its own, recorded afresh by the same three launches, each stopped as soon as its worker is ready; the
master's own cache (bin/warhorse's, in $TMPDIR) is built by the same launches. Then each round launches every
install once, the order reversed every other round, and reads from the master's log the launch to the worker's
spawn and the worker's spawn to ready ("booted in"). Ratios are per round against the first install.

Usage: bench/startup-ab.sh [--rounds N] [--worker KIND] [--app WAR] INSTALL_A INSTALL_B [INSTALL...]
Runs on the calling thread; every process started is stopped by its process group, also on Ctrl-C.
"""
import argparse
import datetime
import os
import re
import signal
import statistics
import sys
import time

import harness

BOOT_DEADLINE_S = 60
CACHE_DEADLINE_S = 120
PRIMING_LAUNCHES = 3
STAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) ")


def spawned_after(text, launched_at):
    """From a master's log: ms from the launch to its first worker's spawn, or None until that line is there.
    launched_at is the launch's wall-clock time (seconds since the epoch); the log's stamps are the master's local
    time, to the millisecond. (The worker's spawn to ready is harness.worker_boot's.)"""
    for line in text.splitlines():
        if "booting worker" in line:
            stamp = STAMP.match(line)
            if stamp:
                at = datetime.datetime.strptime(stamp.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
                return round((at - launched_at) * 1000)
    return None


def summarize(names, results):
    """results[name] = [(spawned_ms, booted_ms), ...] in round order. Markdown lines: each install's medians and
    ranges, then each install's per-round ratio of spawn to ready against the first one."""
    lines = ["| install | launches | launch to worker spawned, ms (median, range) | worker spawn to ready, ms (median, range) |",
             "|---|--:|--:|--:|"]
    for name in names:
        spawned = [s for s, _ in results[name] if s is not None]
        booted = [b for _, b in results[name] if b is not None]
        lines.append(f"| {name} | {len(results[name])} | {cell(spawned)} | {cell(booted)} |")
    base = [b for _, b in results[names[0]]]
    for name in names[1:]:
        ratios = sorted(b / a for (_, b), a in zip(results[name], base) if a and b)
        if ratios:
            lines.append(f"\n{name} / {names[0]}, spawn to ready, per round: median {statistics.median(ratios):.3f}, "
                         f"range {ratios[0]:.3f}-{ratios[-1]:.3f} over {len(ratios)} rounds")
    return lines


def cell(values):
    return f"{statistics.median(values):.0f} ({min(values)}-{max(values)})" if values else "-"


class Install:
    """One warhorse distribution, with a config naming a worker cache file of its own under the run's folder."""

    def __init__(self, index, home, folder, worker, app):
        self.name = f"{chr(ord('A') + index)} {home}"
        self.home = home
        self.cache = os.path.join(folder, f"worker-{index}.aot")
        self.config = os.path.join(folder, f"install-{index}.conf")
        self.log = os.path.join(folder, f"install-{index}.log")
        self.worker = worker
        self.app = app if os.path.isabs(app) else os.path.join(home, "apps", app)
        with open(self.config, "w") as f:
            f.write(f'warhorse.worker.class-data-archive = "{self.cache}"\n')

    def launch(self):
        """One launch, stopped once its worker is ready: (spawned ms, booted ms)."""
        port = harness.free_port()
        offset = os.path.getsize(self.log) if os.path.exists(self.log) else 0
        launched_at = time.time()
        proc = harness.spawn([os.path.join(self.home, "bin", "warhorse"), "--config", self.config, "--worker",
                              self.worker, "--bind", f"{harness.HOST}:{port}", self.app], self.log)
        try:
            deadline = time.monotonic() + BOOT_DEADLINE_S
            while time.monotonic() < deadline:
                booted = harness.worker_boot(self.log, offset).get("spawn_to_ready_ms")
                if booted is not None:
                    with open(self.log, errors="replace") as f:
                        f.seek(offset)
                        return spawned_after(f.read(), launched_at), booted
                if proc.poll() is not None:
                    break
                time.sleep(0.02)
            raise SystemExit(f"startup-ab: {self.home} did not say its worker was ready within {BOOT_DEADLINE_S} s;"
                             f" its log: {self.log}")
        finally:
            harness.stop(proc)


def wait_for(condition, what):
    deadline = time.monotonic() + CACHE_DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"startup-ab: {what} did not happen within {CACHE_DEADLINE_S} s")
        time.sleep(0.2)


def prime(install):
    """Records the install's worker cache afresh (and its master's, if missing) with the same launches every time."""
    if os.path.exists(install.cache):
        os.remove(install.cache)
    for i in range(PRIMING_LAUNCHES):
        install.launch()
        if i == 0:  # the recording worker exited: its master's assembler writes the cache in the background
            wait_for(lambda: os.path.exists(install.cache), f"the worker cache {install.cache}")
        wait_for(lambda: not harness.assembling(), "the end of every AOT cache assembly")


def main(argv):
    parser = argparse.ArgumentParser(prog="bench/startup-ab.sh", description=__doc__.split("\n\n")[0])
    parser.add_argument("installs", nargs="+", help="warhorse distributions (distribution/target/warhorse)")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--worker", default="virtual")
    parser.add_argument("--app", default="hello.war", help="a WAR under each install's apps/, or a path")
    args = parser.parse_args(argv)
    if len(args.installs) < 2:
        parser.error("give two installs or more")
    for home in args.installs:
        if not os.access(os.path.join(home, "bin", "warhorse"), os.X_OK):
            parser.error(f"{home} is not a warhorse install (no bin/warhorse there): build one with"
                         " mvn package -pl distribution -am, which makes distribution/target/warhorse")
    signal.signal(signal.SIGINT, harness.on_signal)
    signal.signal(signal.SIGTERM, harness.on_signal)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H%M%S")
    folder = os.path.join(harness.BENCH, "results", "raw", f"{stamp}-startup-ab")
    os.makedirs(folder)
    installs = [Install(i, os.path.abspath(home), folder, args.worker, args.app) for i, home in enumerate(args.installs)]
    for install in installs:
        harness.say(f"recording the caches of {install.name}")
        prime(install)
    results = {install.name: [] for install in installs}
    for r in range(args.rounds):
        for install in installs if r % 2 == 0 else installs[::-1]:
            results[install.name].append(install.launch())
        harness.say(f"round {r + 1}: " + ", ".join(f"{i.name.split()[0]} {results[i.name][-1][1]} ms" for i in installs))
    lines = [f"# Start-up A/B, {stamp} UTC, {args.worker} kind, {os.path.basename(installs[0].app)}, "
             f"{args.rounds} rounds, load average {os.getloadavg()[0]:.1f} at the end", ""]
    lines += summarize([i.name for i in installs], results)
    text = "\n".join(lines) + "\n"
    with open(os.path.join(folder, "summary.md"), "w") as f:
        f.write(text)
    for install in installs:  # ~35 MiB each, of no use once the run is over
        if os.path.exists(install.cache):
            os.remove(install.cache)
    print(text)
    print(f"logs and summary in {folder}")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    finally:
        harness.cleanup()
