#!/usr/bin/env bash
# The master's memory with a full metrics history: two warhorse masters side by side, each with WORKERS workers of
# hello.war under the same light load (curl, about 20 requests a second: the machine is shared), one keeping FULL samples
# of history (metrics.history = FULL x metrics.interval, the entry count of 10 minutes at the default 1 s) and one
# keeping the least a history can (2 samples). The history is filled in FULL x INTERVAL_MS instead of 10 minutes by
# sampling every INTERVAL_MS (100 ms): same number of samples, series and workers, so the same memory, sooner.
# When the full one's /metrics.json?history=1 holds FULL samples, it prints both masters' VmRSS (and the size of the
# history as JSON), per run and the median of the differences.
#
#   bench/history-rss.sh                      # 3 runs, 2 workers, 600 samples at 100 ms
#   RUNS=1 FULL=600 INTERVAL_MS=100 WORKERS=2 bench/history-rss.sh
#
# Bounded: each master gets 90 s to be ready, the fill FULL x INTERVAL_MS + 60 s; every process it starts is stopped
# by pid (TERM, then KILL after 40 s), also on Ctrl-C or failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
home=${WARHORSE_HOME:-$here/../distribution/target/warhorse}
RUNS=${RUNS:-3} FULL=${FULL:-600} INTERVAL_MS=${INTERVAL_MS:-100} WORKERS=${WORKERS:-2}
work=$(mktemp -d "${TMPDIR:-/tmp}/history-rss.XXXXXX")
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 400); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  pids=()
}
trap 'stop_all; rm -rf "$work"' EXIT

# start NAME HISTORY_MS: a master on free ports; sets port_NAME, admin_NAME, pid_NAME
start() {
  local name=$1 history=$2 log=$work/$1.log
  TMPDIR=$work "$home/bin/warhorse" --workers "$WORKERS" --bind 127.0.0.1:0 --admin-bind 127.0.0.1:0 --worker virtual \
      -c <(printf 'warhorse.metrics { interval = %dms, history = %dms }\n' "$INTERVAL_MS" "$history") \
      "$home/apps/hello.war=/" >"$log" 2>&1 &
  pids+=($!)
  eval "pid_$name=$!"
  for _ in $(seq 900); do
    if [ "$(grep -c ' ready (' "$log" || true)" -ge "$WORKERS" ] && grep -q 'admin listener at' "$log"; then
      eval "port_$name=$(grep -o 'listening at http://127.0.0.1:[0-9]*' "$log" | head -1 | grep -o '[0-9]*$')"
      eval "admin_$name=$(grep -o 'admin listener at http://127.0.0.1:[0-9]*' "$log" | head -1 | grep -o '[0-9]*$')"
      return
    fi
    sleep 0.1
  done
  echo "master $name not ready within 90 s:" >&2; cat "$log" >&2; exit 1
}

# load PORT SECONDS: about 20 GET / a second
load() {
  local end=$((SECONDS + $2))
  while [ $SECONDS -lt $end ]; do curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$1/hello" || true; sleep 0.05; done
}
# heap_kib PID: the master's live heap after a full GC (jcmd), which the JVM's heap sizing does not blur as RSS
heap_kib() {
  "${JAVA_HOME:-/usr}/bin/jcmd" "$1" GC.run >/dev/null
  "${JAVA_HOME:-/usr}/bin/jcmd" "$1" GC.heap_info | grep -o 'used [0-9]*K' | head -1 | grep -o '[0-9]*'
}
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
samples() { curl -fsS "http://127.0.0.1:$1/metrics.json?history=1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["history"]["t"]))'; }
history_bytes() { curl -fsS "http://127.0.0.1:$1/metrics.json?history=1" | python3 -c 'import json,sys; print(len(json.dumps(json.load(sys.stdin)["history"])))'; }

diffs=() heaps=()
for run in $(seq "$RUNS"); do
  start full $((FULL * INTERVAL_MS))
  start least $((2 * INTERVAL_MS))
  fill_s=$(( (FULL * INTERVAL_MS + 999) / 1000 + 5 ))
  load "$port_full" "$fill_s" & pids+=($!); load_full=$!
  load "$port_least" "$fill_s" & pids+=($!); load_least=$!
  deadline=$((SECONDS + fill_s + 60))
  # both masters are asked for their history alike (the rendering makes garbage, which grows a heap)
  until [ "$(samples "$admin_least")" -ge 0 ] && [ "$(samples "$admin_full")" -ge "$FULL" ]; do
    [ $SECONDS -lt $deadline ] || { echo "history not full in time" >&2; exit 1; }
    sleep 1
  done
  wait "$load_full" "$load_least" || true
  full_kib=$(rss_kib "$pid_full"); least_kib=$(rss_kib "$pid_least")
  full_heap=$(heap_kib "$pid_full"); least_heap=$(heap_kib "$pid_least")
  echo "run $run: master with $(samples "$admin_full") samples ($(history_bytes "$admin_full") B as JSON): RSS ${full_kib} KiB," \
       "live heap ${full_heap} KiB; with $(samples "$admin_least"): RSS ${least_kib} KiB, live heap ${least_heap} KiB;" \
       "difference RSS $(( full_kib - least_kib )) KiB, live heap $(( full_heap - least_heap )) KiB"
  diffs+=($(( full_kib - least_kib )))
  heaps+=($(( full_heap - least_heap )))
  stop_all
done
median() { sort -n | awk -v what="$1" '{a[NR]=$1} END {print "median " what " difference over " NR " run(s): " a[int((NR+1)/2)] " KiB (min " a[1] ", max " a[NR] ")"}'; }
printf '%s\n' "${diffs[@]}" | median RSS
printf '%s\n' "${heaps[@]}" | median "live heap"
