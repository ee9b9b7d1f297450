#!/usr/bin/env bash
# The cost of observability: scenario S1 of the bench suite (GET /hello on hello.war mounted at /, 64
# connections, wrk on loopback) against warhorse with request metrics and the access log ON, then OFF, alternating
# ON/OFF runs in ABBA order so drift on a shared machine hits both alike; prints each run, the median req/s of each side, and the
# ratio OFF/ON with its spread (min and max over the pairs). The goal: ON costs under 5% (ratio < 1.05).
# It also prints the server processes' CPU time per request (utime+stime of the master and workers over the
# measured run / requests), which a busy shared machine disturbs much less than throughput.
#
#   bench/overhead.sh                      # 3 pairs of 10 s runs, 1 worker, the virtual kind
#   RUNS=5 DURATION=15 WORKERS=2 KIND=sync ACCESS_FORMAT=json bench/overhead.sh
#
# ON  = metrics.enabled (default: timers per route, status meters, snapshots to the master every second) and
#       --access-logfile to a file in a temporary folder (format ACCESS_FORMAT, default common).
# OFF = WARHORSE_METRICS_ENABLED=false, no access log.
# Both keep the admin listener on a free port. Every process is bounded: readiness 60 s, wrk duration + 30 s.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
WORKERS=${WORKERS:-1}
KIND=${KIND:-virtual}
CONNECTIONS=${CONNECTIONS:-64}
ACCESS_FORMAT=${ACCESS_FORMAT:-common}
ON_METRICS=${ON_METRICS:-1}        # 0: the ON side without request metrics (to tell the two costs apart)
ON_ACCESS_LOG=${ON_ACCESS_LOG:-1}  # 0: the ON side without the access log
HOME_DIR=${WARHORSE_HOME:-distribution/target/warhorse}
[ -x "$HOME_DIR/bin/warhorse" ] || { echo "build first: bin/test -DskipTests (no $HOME_DIR/bin/warhorse)" >&2; exit 1; }
command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)

work=$(mktemp -d)
master=""
cleanup() {
  if [ -n "$master" ] && kill -0 "$master" 2>/dev/null; then
    kill -TERM "$master"; for _ in $(seq 1 150); do kill -0 "$master" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$master" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start() { # $1 = on|off
  local port; port=$(free_port)
  local args=(--worker "$KIND" --workers "$WORKERS" --bind "127.0.0.1:$port" --admin-bind 127.0.0.1:0)
  if [ "$1" = on ]; then
    rm -f "$work/access.log"; touch "$work/access.log"
    [ "$ON_ACCESS_LOG" = 1 ] && args+=(--access-logfile "$work/access.log" --access-logformat "$ACCESS_FORMAT")
    WARHORSE_METRICS_ENABLED=$([ "$ON_METRICS" = 1 ] && echo true || echo false) \
      "$HOME_DIR/bin/warhorse" "${args[@]}" "$HOME_DIR/apps/hello.war=/" >"$work/master.log" 2>&1 &
  else
    WARHORSE_METRICS_ENABLED=false "$HOME_DIR/bin/warhorse" "${args[@]}" "$HOME_DIR/apps/hello.war=/" >"$work/master.log" 2>&1 &
  fi
  master=$!
  for _ in $(seq 1 600); do
    [ "$(grep -c ' ready (' "$work/master.log" || true)" -ge "$WORKERS" ] && break
    kill -0 "$master" 2>/dev/null || { cat "$work/master.log" >&2; exit 1; }
    sleep 0.1
  done
  for _ in $(seq 1 200); do curl -s -o /dev/null "http://127.0.0.1:$port/hello" && break; sleep 0.05; done
  wrk -t2 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$port/hello" >/dev/null   # warm-up, JIT
  PORT=$port
}

stop() {
  kill -TERM "$master"; for _ in $(seq 1 300); do kill -0 "$master" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$master" 2>/dev/null || true; wait "$master" 2>/dev/null || true; master=""
}

cpu_ticks() { # user+system clock ticks of the master and its workers
  local total=0 pid
  for pid in "$master" $(pgrep -P "$master" || true); do
    [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}

measure() { # prints "REQ_PER_S CPU_MICROS_PER_REQUEST"
  local before after out
  before=$(cpu_ticks)
  out=$(timeout $((DURATION + 30)) wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$PORT/hello")
  after=$(cpu_ticks)
  awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    / requests in / {n = $1} /Requests\/sec/ {rps = $2}
    END {printf "%s %.1f\n", rps, (n > 0 ? ticks / hz * 1e6 / n : 0)}' <<<"$out"
}

on=(); off=(); on_cpu=(); off_cpu=()
for run in $(seq 1 "$RUNS"); do
  order="on off"; [ $((run % 2)) -eq 0 ] && order="off on"   # ABBA: a drift favours neither side
  for side in $order; do
    start "$side"
    read -r rps cpu < <(measure)
    lines=""
    [ "$side" = on ] && { sleep 0.5; lines=" ($(wc -l < "$work/access.log") access-log lines)"; }
    stop
    echo "run $run $side: $rps req/s, $cpu us CPU per request (server processes)$lines"
    if [ "$side" = on ]; then on+=("$rps"); on_cpu+=("$cpu"); else off+=("$rps"); off_cpu+=("$cpu"); fi
  done
done

python3 - "${on[*]}" "${off[*]}" "${on_cpu[*]}" "${off_cpu[*]}" <<'PY'
import statistics, sys
on = [float(x) for x in sys.argv[1].split()]
off = [float(x) for x in sys.argv[2].split()]
on_cpu = [float(x) for x in sys.argv[3].split()]
off_cpu = [float(x) for x in sys.argv[4].split()]
ratios = [f / n for n, f in zip(on, off)]
print(f"ON  median {statistics.median(on):.0f} req/s  (runs {', '.join(f'{x:.0f}' for x in on)})")
print(f"OFF median {statistics.median(off):.0f} req/s  (runs {', '.join(f'{x:.0f}' for x in off)})")
ratio = statistics.median(off) / statistics.median(on)
print(f"cost OFF/ON = {ratio:.3f} (pairs {min(ratios):.3f} .. {max(ratios):.3f}); goal < 1.05: "
      + ("met" if ratio < 1.05 else "NOT met"))
cpu = [n / f for n, f in zip(on_cpu, off_cpu)]
print(f"CPU per request ON/OFF = {statistics.median(on_cpu) / statistics.median(off_cpu):.3f} "
      f"(medians {statistics.median(on_cpu):.1f} / {statistics.median(off_cpu):.1f} us; pairs {min(cpu):.3f} .. {max(cpu):.3f}): "
      "less sensitive than req/s to other load on a shared machine")
PY
