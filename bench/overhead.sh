#!/usr/bin/env bash
# The cost of observability: scenario S1 of the bench suite (GET /hello on hello.war mounted at /, 64 connections,
# wrk on loopback) against two warhorse masters running side by side: ON, with request metrics and the access log,
# and OFF, with neither. Short wrk runs alternate between the two in ABBA order (ON OFF OFF ON ...), so a drift in
# the machine's load hits both alike; the idle one costs next to nothing meanwhile. Prints every run, the median
# req/s of each side, and the cost OFF/ON with its spread over the pairs; also the server processes' CPU time per
# request (utime+stime of master and workers over the run / requests), which other load disturbs less.
# The goal: ON costs under 5% (OFF/ON < 1.05).
#
# Two identical servers started one after the other are not equally fast: an A/A run (ON_METRICS=0
# ON_ACCESS_LOG=0) measured the one started first ~2% slower, the same way in every pair. So the comparison runs in
# ROUNDS, each with a fresh pair of servers started in turn ON first, then OFF first, which cancels that bias in the
# median; each side is warmed up (WARMUP seconds of wrk) before a round's PAIRS pairs of runs.
#
#   bench/overhead.sh                                   # 4 rounds x 2 pairs of 5 s runs, 1 worker, the virtual kind, 20 s warm-up
#   ROUNDS=6 PAIRS=2 DURATION=5 WORKERS=2 KIND=sync ACCESS_FORMAT=json bench/overhead.sh
#   ON_ACCESS_LOG=0 bench/overhead.sh                    # the cost of the metrics alone (ON_METRICS=0: the log alone)
#   ON_METRICS=0 ON_ACCESS_LOG=0 bench/overhead.sh       # A/A: the noise floor of the method itself
#
# ON  = metrics.enabled (timers per route, status meters, a snapshot to the master every second) and
#       --access-logfile in a temporary folder (format ACCESS_FORMAT, default common).
# OFF = WARHORSE_METRICS_ENABLED=false and no access log. Both have the admin listener on a free port.
# Every wait is bounded: readiness 60 s, each wrk its duration + 30 s, stopping 30 s.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-4}
PAIRS=${PAIRS:-2}
DURATION=${DURATION:-5}
WORKERS=${WORKERS:-1}
KIND=${KIND:-virtual}
CONNECTIONS=${CONNECTIONS:-64}
WARMUP=${WARMUP:-20}
ACCESS_FORMAT=${ACCESS_FORMAT:-common}
ON_METRICS=${ON_METRICS:-1}
ON_ACCESS_LOG=${ON_ACCESS_LOG:-1}
HOME_DIR=${WARHORSE_HOME:-distribution/target/warhorse}
[ -x "$HOME_DIR/bin/warhorse" ] || { echo "build first: bin/test -DskipTests (no $HOME_DIR/bin/warhorse)" >&2; exit 1; }
command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)

work=$(mktemp -d)
declare -A pid port
stop_servers() {
  for side in "${!pid[@]}"; do kill -TERM "${pid[$side]}" 2>/dev/null || true; done
  for side in "${!pid[@]}"; do
    for _ in $(seq 1 300); do kill -0 "${pid[$side]}" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "${pid[$side]}" 2>/dev/null || true
  done
  pid=()
}
stop_all() {
  stop_servers
  rm -rf "$work"
}
trap stop_all EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start() { # $1 = on|off
  local side=$1 p args metrics=false
  p=$(free_port)
  args=(--worker "$KIND" --workers "$WORKERS" --bind "127.0.0.1:$p" --admin-bind 127.0.0.1:0)
  if [ "$side" = on ]; then
    [ "$ON_ACCESS_LOG" = 1 ] && args+=(--access-logfile "$work/access.log" --access-logformat "$ACCESS_FORMAT")
    [ "$ON_METRICS" = 1 ] && metrics=true
  fi
  WARHORSE_METRICS_ENABLED=$metrics "$HOME_DIR/bin/warhorse" "${args[@]}" "$HOME_DIR/apps/hello.war=/" >"$work/$side.log" 2>&1 &
  pid[$side]=$!
  port[$side]=$p
}

await_ready() { # $1 = side
  local side=$1
  for _ in $(seq 1 600); do
    [ "$(grep -c ' ready (' "$work/$side.log" || true)" -ge "$WORKERS" ] && break
    kill -0 "${pid[$side]}" 2>/dev/null || { cat "$work/$side.log" >&2; exit 1; }
    sleep 0.1
  done
  curl -sf -o /dev/null "http://127.0.0.1:${port[$side]}/hello" || { echo "$side: /hello does not answer" >&2; exit 1; }
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:${port[$side]}/hello" >/dev/null   # warm-up: JIT, pools
}

cpu_ticks() { # user+system clock ticks of a master and its workers
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$total"
}

measure() { # $1 = side; prints "REQ_PER_S CPU_MICROS_PER_REQUEST"
  local side=$1 before after out
  before=$(cpu_ticks "${pid[$side]}")
  out=$(timeout $((DURATION + 30)) wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:${port[$side]}/hello")
  after=$(cpu_ticks "${pid[$side]}")
  awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    / requests in / {n = $1} /Requests\/sec/ {rps = $2}
    END {printf "%s %.1f\n", rps, (n > 0 ? ticks / hz * 1e6 / n : 0)}' <<<"$out"
}

echo "S1 overhead: $KIND kind, $WORKERS worker(s), $CONNECTIONS connections, $ROUNDS rounds of $PAIRS pairs of ${DURATION}s runs;" \
     "ON = metrics $([ "$ON_METRICS" = 1 ] && echo on || echo off), access log $([ "$ON_ACCESS_LOG" = 1 ] && echo "$ACCESS_FORMAT" || echo off)"
on=(); off=(); on_cpu=(); off_cpu=()
for round in $(seq 1 "$ROUNDS"); do
  first=on; second=off; [ $((round % 2)) -eq 0 ] && { first=off; second=on; }
  start "$first"; await_ready "$first"; start "$second"; await_ready "$second"
  echo "round $round: $first started first"
  for pair in $(seq 1 "$PAIRS"); do
    order="on off"; [ $((pair % 2)) -eq 0 ] && order="off on"
    for side in $order; do
      read -r rps cpu < <(measure "$side")
      echo "round $round pair $pair $side: $rps req/s, $cpu us CPU per request"
      if [ "$side" = on ]; then on+=("$rps"); on_cpu+=("$cpu"); else off+=("$rps"); off_cpu+=("$cpu"); fi
    done
  done
  [ "$ON_ACCESS_LOG" = 1 ] && echo "round $round access log: $(wc -l < "$work/access.log") lines" && rm -f "$work/access.log"
  stop_servers
done
echo "load average during the runs: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

python3 - "${on[*]}" "${off[*]}" "${on_cpu[*]}" "${off_cpu[*]}" <<'PY'
import statistics, sys
on, off, on_cpu, off_cpu = ([float(x) for x in arg.split()] for arg in sys.argv[1:5])
ratios = sorted(f / n for n, f in zip(on, off))
cpu = sorted(n / f for n, f in zip(on_cpu, off_cpu))
print(f"ON  median {statistics.median(on):.0f} req/s  ({', '.join(f'{x:.0f}' for x in on)})")
print(f"OFF median {statistics.median(off):.0f} req/s  ({', '.join(f'{x:.0f}' for x in off)})")
ratio = statistics.median(ratios)
print(f"cost OFF/ON = {ratio:.3f} (median of {len(ratios)} pairs; range {ratios[0]:.3f} .. {ratios[-1]:.3f}); goal < 1.05: "
      + ("met" if ratio < 1.05 else "NOT met"))
print(f"CPU per request ON/OFF = {statistics.median(cpu):.3f} (median of pairs; range {cpu[0]:.3f} .. {cpu[-1]:.3f}; "
      f"medians {statistics.median(on_cpu):.1f} / {statistics.median(off_cpu):.1f} us)")
PY
