#!/usr/bin/env bash
# The master under load: warhorse with N virtual workers (WORKERS, default 4) and hello.war under wrk (64 connections,
# 20 s) while the admin listener is polled (/metrics.json?history=1, /metrics, the status page) every 0.2 s. Prints
# the admin answers' status and times, how many workers /metrics.json merged, the master's RSS and collections
# before and after (jcmd/jstat), and any WORKER TIMEOUT, DIED or OutOfMemory line in the log. Under the bench lock:
#   flock /work/wt/bench.lock bench/master-load.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
H=${WARHORSE_HOME:-$here/../distribution/target/warhorse}
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin
P=${BENCH_PORT:-18740}; A=$((P + 1000)); N=${WORKERS:-4}; out=$(mktemp -d)
setsid "$H/bin/warhorse" --worker virtual --workers "$N" --bind "127.0.0.1:$P" --admin-bind "127.0.0.1:$A" "$H/apps/hello.war=/" > "$out/log" 2>&1 &
M=$!
trap 'kill -TERM $M 2>/dev/null; for _ in $(seq 1 150); do kill -0 $M 2>/dev/null || break; sleep 0.2; done' EXIT
for _ in $(seq 1 3000); do
  [ "$(curl -s "http://127.0.0.1:$A/-/ready")" = ready ] && [ "$(pgrep -c -P "$M")" -ge "$N" ] && break; sleep 0.02
done
sleep 3
echo "before: master RSS $(( $(awk '/VmRSS/{print $2}' "/proc/$M/status") / 1024 )) MiB"; "$J/jcmd" "$M" GC.heap_info | grep total
wrk -t2 -c64 -d20s "http://127.0.0.1:$P/hello" > "$out/wrk" &
load=$!
polls=0; bad=0
while kill -0 "$load" 2>/dev/null; do
  answer=$(curl -s -m 10 -o "$out/metrics.json" -w '%{http_code} %{time_total}' "http://127.0.0.1:$A/metrics.json?history=1" || true)
  polls=$((polls + 1)); [ "${answer% *}" = 200 ] || bad=$((bad + 1)); echo "${answer#* }" >> "$out/times"
  curl -s -m 10 -o /dev/null "http://127.0.0.1:$A/metrics" || true; curl -s -m 10 -o /dev/null "http://127.0.0.1:$A/" || true
  sleep 0.2
done
grep Requests/sec "$out/wrk"
echo "admin /metrics.json under load: $polls polls, $bad not 200, median $(sort -n "$out/times" | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}') s, slowest $(sort -n "$out/times" | tail -1) s"
echo "workers merged in /metrics.json: $(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1])).get('workers', [])))" "$out/metrics.json")"
sleep 2
echo "after: master RSS $(( $(awk '/VmRSS/{print $2}' "/proc/$M/status") / 1024 )) MiB"; "$J/jcmd" "$M" GC.heap_info | grep total; "$J/jstat" -gc "$M" | tail -2
echo "WORKER TIMEOUT / DIED / OutOfMemory lines: $(grep -c -E 'TIMEOUT|DIED|OutOfMemory' "$out/log" || true)"
