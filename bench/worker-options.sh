#!/usr/bin/env bash
# What a worker's JVM options cost: for each warhorse config file given (or "defaults" for none), start warhorse with
# one virtual worker and hello.war, warm it up (wrk 5 s, 64 connections), then under wrk (10 s, 64 connections) take
# the worker's CPU time per /hello request (from /proc: less moved by other load on the machine than req/s, though not
# immune) and its RSS after, and the master's. Rounds alternate the configs; the first round ("prime") also records
# each config's AOT cache, so read rounds 1 and 2. Run it under the bench lock:
#   flock /work/wt/bench.lock bench/worker-options.sh defaults my-g1.conf my-xmn.conf
# where my-g1.conf holds e.g. warhorse.worker.default-jvm-options = [] (the JDK's own defaults).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
H=${WARHORSE_HOME:-$here/../distribution/target/warhorse}
P=${BENCH_PORT:-18750}
tick=$(getconf CLK_TCK)
for round in prime 1 2; do
  for conf in "$@"; do
    args=(); [ "$conf" != defaults ] && args=(-c "$conf")
    setsid "$H/bin/warhorse" --worker virtual --bind "127.0.0.1:$P" "${args[@]}" "$H/apps/hello.war=/" > "${TMPDIR:-/tmp}/worker-options.log" 2>&1 &
    M=$!
    for _ in $(seq 1 3000); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P/hello")" = 200 ] && break; sleep 0.02; done
    W=$(pgrep -P "$M" | head -1)
    wrk -t2 -c64 -d5s "http://127.0.0.1:$P/hello" > /dev/null
    c0=$(awk '{print $14+$15}' "/proc/$W/stat")
    n=$(wrk -t2 -c64 -d10s "http://127.0.0.1:$P/hello" | awk '/requests in/{print $1}')
    c1=$(awk '{print $14+$15}' "/proc/$W/stat")
    sleep 1
    echo "round $round $conf: worker CPU $(awk -v c="$((c1 - c0))" -v t="$tick" -v n="$n" 'BEGIN{printf "%.1f", c/t*1e6/n}') us/request over $n requests;" \
      "worker RSS $(( $(awk '/VmRSS/{print $2}' "/proc/$W/status") / 1024 )) MiB, master $(( $(awk '/VmRSS/{print $2}' "/proc/$M/status") / 1024 )) MiB;" \
      "load $(cut -d' ' -f1 /proc/loadavg)"
    kill -TERM "$M"; for _ in $(seq 1 150); do kill -0 "$M" 2>/dev/null || break; sleep 0.2; done
  done
done
