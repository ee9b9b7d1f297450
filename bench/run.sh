#!/usr/bin/env bash
# warhorse benchmark suite: one command.
#
#   bench/run.sh [--with-gunicorn] [--rebuild] [--runs N] [--duration S] [target...] [scenario...]
#
# Targets (default: all but gunicorn's):
#   warhorse-sync warhorse-virtual warhorse-async           one worker
#   warhorse-sync-w2 warhorse-virtual-w2 warhorse-async-w2  --workers 2
#   warhorse-sync-w2p warhorse-virtual-w2p warhorse-async-w2p  --workers 2 --cpu-affinity
#   raw-undertow undertow-servlet tomcat-platform tomcat-virtual        (the baselines, bench/targets)
#   gunicorn-sync gunicorn-gthread gunicorn-gevent           (only with --with-gunicorn, bench/gunicorn/app.py)
#   groups: warhorse, baselines, gunicorn
# Scenarios (default: S1 S2 S3 S4 startup recovery goodput):
#   S1 /hello at 64 connections; S2 /query?ms=100 (async kind: /async?ms=100) at 1000 connections;
#   S3 /-/healthy and /health at 4 connections under 500 connections on /query?ms=500;
#   S4 /cpu at ~5 ms CPU per request, 16 connections; startup: first 200 on /hello, idle RSS, RSS after warm-up;
#   recovery: time to normal answers after 500 connections on /query?ms=500;
#   goodput: 2xx/s of an open-loop load at twice the capacity of /cpu, over that capacity;
#   extra (not in the default set, warhorse's master benchmarks): startup-slowdb; respawn (killed worker to the
#   new worker's first 200, one-worker warhorse); lost (requests lost on HUP/TERM/recycling, warhorse only).
# Options: --runs N (default 3) wrk runs per row; --duration S (default 10) seconds per wrk run;
#   --with-gunicorn installs Debian's gunicorn and python3-gevent if missing and adds the gunicorn targets;
#   --rebuild builds warhorse's distribution even if one is there (by default only when it is missing).
# Environment: WARHORSE_HOME (a built distribution to use instead of building this repo's),
#   WARHORSE_ARGS (extra warhorse flags), WARHORSE_SYNC_THREADS (default 32), WARHORSE_RECYCLE_ARGS (for "lost"),
#   BENCH_QUERY_VIA=sleep (/query sleeps instead of reading from the fake database), BENCH_CPU_N (fixes S4's n),
#   BENCH_GOODPUT_CLIENT=h2load (goodput's open loop from h2load, a fifth of openload.py's CPU; no Tomcat),
#   BENCH_WARMUP (seconds of wrk before a load scenario's runs, default 3; warhorse's S1 kept improving for more
#   than 10 s of warm-up, so compare S1 after BENCH_WARMUP=40),
#   BENCH_JAVA_OPTS (baselines' JVM flags), GUNICORN_WORKERS (default 2), GUNICORN_THREADS (gthread, default 16),
#   GUNICORN_ARGS.
#
# Time with the defaults (3 runs x 10 s): about 38 s per target and load scenario (start, checks, 3 s warm-up,
# 3 x 10 s, stop; S3 a little more, twice that for warhorse's two probes), about 20 s per target for
# start-up, about 45 s for recovery and 70 s for goodput: 10 targets x the default set is about 50 min;
# --with-gunicorn adds about 15 min.
# `--runs 1 --duration 5` does everything in about 10 min.
# wrk runs on the same cores as the servers: read the ratios, not the absolute numbers.
#
# Prints a Markdown table per scenario and writes it to bench/results/<date>-<scenarios>.md; raw per-run data
# and every process's log go to bench/results/raw/<date>/ (git-ignored). Stops every process it starts, also on
# Ctrl-C.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH")"
cd "$ROOT"

case " $* " in
  *" -h "*|*" --help "*) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
esac

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() { # package...: installs the missing ones from Debian's repositories
    as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

if ! command -v wrk >/dev/null; then
    echo "bench: installing wrk (apt-get)"
    apt_install wrk
fi
case " $* " in
  *" --with-gunicorn "*)
    if ! command -v gunicorn >/dev/null || ! /usr/bin/python3 -c 'import gevent' 2>/dev/null; then
        echo "bench: installing gunicorn and python3-gevent (apt-get)"
        apt_install gunicorn python3-gevent
    fi ;;
esac

# wrk at 1000 connections and the servers need more than the usual 1024 descriptors.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

. "$ROOT/bin/jdk25.sh"   # JAVA_HOME and mvn on a JDK 25, for the builds and the baselines
PYTHON=$(command -v python3 || echo /usr/bin/python3)
exec "$PYTHON" "$BENCH/lib/harness.py" "$@"
