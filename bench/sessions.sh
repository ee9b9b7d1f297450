#!/usr/bin/env bash
# S5r and S5w: the cost of sessions that every worker sees; S1: what they cost an app that never uses one. The
# session-counter app mounted at / and hello.war at /h, three warhorse masters side by side, one per session store
# (memory, local, redis; redis-server started here on a free port), and wrk on loopback at 64 connections: S5r is
# GET /read (reads one session attribute), S5w is GET /count (writes one), S1 is GET /h/hello (no session at all).
# S5 requests carry one of USERS session cookies made beforehand, in turn. Short runs alternate between the stores
# in a rotating order, round after round, so a drift in the machine's load hits all alike; reported: each run (req/s
# and the CPU the store's side spent per request: its worker, plus redis-server for redis), the median req/s per
# store, and local/memory and redis/memory as the median of the per-round ratios with their range. Non-2xx answers
# are counted (there should be none).
# Goals (issue 9): local >= 0.9x memory on S5r and >= 0.5x on S5w; redis >= 0.5x memory on both; S1 the same for
# every store (an app that never calls getSession pays nothing measurable).
#
#   bench/sessions.sh                                 # 5 rounds of 5 s runs, 1 worker each, the virtual kind
#   ROUNDS=3 DURATION=10 WORKERS=2 KIND=sync SCENARIOS="S5w S1" bench/sessions.sh
#   WARHORSE_OFFLOAD_ENABLED=false bench/sessions.sh  # a setting for every master (printed with the results)
#
# memory keeps sessions in each worker: with WORKERS > 1 its users lose their sessions between workers, so the
# comparison is meant for one worker (the default). Each server is warmed up with WARMUP seconds of every scenario
# first (a worker's JIT keeps compiling for a while on a loaded machine). Every wait is bounded: readiness 120 s,
# each wrk its duration + 30 s, stopping 30 s.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-5}
WORKERS=${WORKERS:-1}
KIND=${KIND:-virtual}
CONNECTIONS=${CONNECTIONS:-64}
USERS=${USERS:-64}
WARMUP=${WARMUP:-10}
SCENARIOS=${SCENARIOS:-S5r S5w S1}
TIMEOUT=${TIMEOUT:-120s}   # the workers' heartbeat timeout: a loaded machine may take longer than 30 s to boot one
STORES=(memory local redis)
HOME_DIR=${WARHORSE_HOME:-distribution/target/warhorse}
[ -x "$HOME_DIR/bin/warhorse" ] || { echo "build first: mvn -B -ntp package -DskipTests (no $HOME_DIR/bin/warhorse)" >&2; exit 1; }
command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)

work=$(mktemp -d)
declare -A pid port
stop_all() {
  for store in "${!pid[@]}"; do kill -TERM "${pid[$store]}" 2>/dev/null || true; done
  for store in "${!pid[@]}"; do
    for _ in $(seq 1 300); do kill -0 "${pid[$store]}" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "${pid[$store]}" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap stop_all EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pid[redis-server]=$!

start() { # $1 = store
  local store=$1 p
  p=$(free_port)
  "$HOME_DIR/bin/warhorse" --worker "$KIND" --workers "$WORKERS" --bind "127.0.0.1:$p" --admin-bind 127.0.0.1:0 --timeout "$TIMEOUT" \
    --session-store "$store" --session-redis-uri "redis://127.0.0.1:$redis_port" \
    "$HOME_DIR/apps/session-counter.war=/" "$HOME_DIR/apps/hello.war=/h" >"$work/$store.log" 2>&1 &
  pid[$store]=$!
  port[$store]=$p
}

await_ready() { # $1 = store; then makes USERS sessions and warms up
  local store=$1 i
  for _ in $(seq 1 1200); do
    [ "$(grep -c ' ready (' "$work/$store.log" || true)" -ge "$WORKERS" ] && break
    kill -0 "${pid[$store]}" 2>/dev/null || { cat "$work/$store.log" >&2; exit 1; }
    sleep 0.1
  done
  : >"$work/$store.cookies"
  for i in $(seq 1 "$USERS"); do
    curl -sf -o /dev/null -c - "http://127.0.0.1:${port[$store]}/count" | awk '$6 == "COUNTER_SID" {print $6 "=" $7}' \
      >>"$work/$store.cookies"
  done
  [ "$(wc -l <"$work/$store.cookies")" -eq "$USERS" ] || { echo "$store: could not make $USERS sessions" >&2; exit 1; }
  for scenario in $SCENARIOS; do
    COOKIES="$work/$store.cookies" wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/wrk/sessions.lua \
      "http://127.0.0.1:${port[$store]}$(path_of "$scenario")" >/dev/null
  done
}

path_of() { case $1 in S5r) echo /read ;; S5w) echo /count ;; S1) echo /h/hello ;; esac; }

cpu_ticks() { # $1 = store: utime+stime of its workers (and of redis-server for redis), in clock ticks
  local p total=0
  for p in $(ps --ppid "${pid[$1]}" -o pid= 2>/dev/null) $([ "$1" = redis ] && echo "${pid[redis-server]}"); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

measure() { # $1 = store, $2 = path; prints "REQ_PER_S NON_2XX CPU_MICROSECONDS_PER_REQUEST"
  local out before after
  before=$(cpu_ticks "$1")
  out=$(COOKIES="$work/$1.cookies" timeout $((DURATION + 30)) wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" \
    -s bench/wrk/sessions.lua "http://127.0.0.1:${port[$1]}$2")
  after=$(cpu_ticks "$1")
  awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '/requests in/ {n = $1} /Requests\/sec/ {rps = $2}
    /Non-2xx/ {bad = $NF} END {printf "%s %d %.1f\n", rps, bad, n ? ticks * 1e6 / hz / n : 0}' <<<"$out"
}

for store in "${STORES[@]}"; do start "$store"; done
for store in "${STORES[@]}"; do await_ready "$store"; done
echo "$SCENARIOS: $KIND kind, $WORKERS worker(s) per store, $CONNECTIONS connections, $USERS sessions, $ROUNDS rounds of ${DURATION}s runs, ${WARMUP}s warm-up per scenario"
echo "settings from the environment (every master): $(env | grep -E '^WARHORSE_[A-Z_]+=' | grep -v -E '^WARHORSE_(HOME|JAVA_HOME)=' | sort | tr '\n' ' ')"
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
results="$work/results.txt"
for round in $(seq 1 "$ROUNDS"); do
  order=("${STORES[@]:$((round % 3))}" "${STORES[@]:0:$((round % 3))}")
  for scenario in $SCENARIOS; do
    for store in "${order[@]}"; do
      read -r rps bad cpu < <(measure "$store" "$(path_of "$scenario")")
      echo "round $round $scenario $store: $rps req/s, $bad non-2xx, $cpu us CPU/request"
      echo "$round $scenario $store $rps $bad $cpu" >>"$results"
    done
  done
done
echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

python3 - "$results" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(dict)
cpu = collections.defaultdict(list)
bad = collections.Counter()
for line in open(sys.argv[1]):
    rnd, scenario, store, rps, non2xx, micros = line.split()
    runs[(scenario, int(rnd))][store] = float(rps)
    cpu[(scenario, store)].append(float(micros))
    bad[(scenario, store)] += int(non2xx)
goals = {("S5r", "local"): 0.9, ("S5w", "local"): 0.5, ("S5r", "redis"): 0.5, ("S5w", "redis"): 0.5,
         ("S1", "local"): None, ("S1", "redis"): None}
for scenario in sorted({s for (s, r) in runs}, key=["S5r", "S5w", "S1"].index):
    rounds = [r for (s, r) in runs if s == scenario]
    for store in ("memory", "local", "redis"):
        values = [runs[(scenario, r)][store] for r in rounds]
        print(f"{scenario} {store:6} median {statistics.median(values):7.0f} req/s ({', '.join(f'{v:.0f}' for v in values)}); "
              f"CPU/request median {statistics.median(cpu[(scenario, store)]):.0f} us; non-2xx {bad[(scenario, store)]}")
    for store in ("local", "redis"):
        ratios = sorted(runs[(scenario, r)][store] / runs[(scenario, r)]["memory"] for r in rounds)
        ratio, goal = statistics.median(ratios), goals[(scenario, store)]
        verdict = (f"goal >= {goal}: " + ("met" if ratio >= goal else "NOT met")) if goal else \
            ("1.00 within the range: no cost measured" if ratios[0] <= 1 <= ratios[-1] else "outside the range")
        print(f"{scenario} {store}/memory = {ratio:.2f} (median of {len(ratios)} rounds; range {ratios[0]:.2f} .. "
              f"{ratios[-1]:.2f}); {verdict}")
PY
