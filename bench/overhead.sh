#!/usr/bin/env bash
# The cost of observability: scenario S1 of the bench suite (GET /hello on hello.war mounted at /, 64
# connections, wrk on loopback) against warhorse with request metrics and the access log ON, then OFF, alternating
# ON/OFF runs in ABBA order so drift on a shared machine hits both alike; prints each run, the median req/s of each side, and the
# ratio OFF/ON with its spread (min and max over the pairs). The goal: ON costs under 5% (ratio < 1.05).
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
    rm -f "$work/access.log"
    args+=(--access-logfile "$work/access.log" --access-logformat "$ACCESS_FORMAT")
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

measure() { # prints req/s
  timeout $((DURATION + 30)) wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$PORT/hello" \
    | awk '/Requests\/sec/ {print $2}'
}

on=(); off=()
for run in $(seq 1 "$RUNS"); do
  order="on off"; [ $((run % 2)) -eq 0 ] && order="off on"   # ABBA: a drift favours neither side
  for side in $order; do
    start "$side"
    rps=$(measure)
    lines=""
    [ "$side" = on ] && { sleep 0.5; lines=" ($(wc -l < "$work/access.log") access-log lines)"; }
    stop
    echo "run $run $side: $rps req/s$lines"
    if [ "$side" = on ]; then on+=("$rps"); else off+=("$rps"); fi
  done
done

python3 - "${on[*]}" "${off[*]}" <<'PY'
import statistics, sys
on = [float(x) for x in sys.argv[1].split()]
off = [float(x) for x in sys.argv[2].split()]
ratios = [f / n for n, f in zip(on, off)]
print(f"ON  median {statistics.median(on):.0f} req/s  (runs {', '.join(f'{x:.0f}' for x in on)})")
print(f"OFF median {statistics.median(off):.0f} req/s  (runs {', '.join(f'{x:.0f}' for x in off)})")
ratio = statistics.median(off) / statistics.median(on)
print(f"cost OFF/ON = {ratio:.3f} (pairs {min(ratios):.3f} .. {max(ratios):.3f}); goal < 1.05: "
      + ("met" if ratio < 1.05 else "NOT met"))
PY
