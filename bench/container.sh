#!/usr/bin/env bash
# What JSP and WebSocket support cost a worker. One master with one worker (the virtual kind) per launch, the AOT
# cache off so that every launch boots the same way (no launch records or maps a cache the other did not):
#   a) boot: the worker's spawn to ready ("booted in", the master's figure) and its app's deploy time ("deployed
#      in"), hello.war against jsp.war, launched alternately, RUNS times each;
#   b) the first request of a JSP page (Jasper compiles it) against the second, with jsp.precompile off (the jsp
#      launches of a) and on (RUNS more launches, alternating with a hello launch so the machine's drift spreads);
#   c) 1,000 WebSockets open at once on the chat app: the worker's heap after a full GC (jcmd) and then its VmRSS
#      (/proc/PID/status), before and after opening them, RUNS_WS times.
# Prints one line per launch, then median and range per figure, and the load average. Needs the built distribution.
#   bench/container.sh [RUNS] [RUNS_WS]        (defaults 5 and 2; RUNS 0 measures the WebSockets only)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/jdk25.sh"
runs=${1:-5}
runs_ws=${2:-2}
home="$root/distribution/target/warhorse"
[ -x "$home/bin/warhorse" ] || { echo "build the distribution first (mvn -B -ntp -q package -pl distribution -am -DskipTests)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/warhorse-container-bench.XXXXXX")
pid=
holder=
stop_master() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    pid=
}
cleanup() {
    [ -n "$holder" ] && kill "$holder" 2>/dev/null || true
    stop_master
    rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/base.conf" <<'EOF'
warhorse.worker.class-data-archive = ""
warhorse.admin.enabled = false
EOF
{ cat "$work/base.conf"; echo 'warhorse.jsp.precompile = true'; } > "$work/precompile.conf"

# launch CONF APP.war=/PATH: starts a master with one worker and waits (120 s at most) until the worker is ready;
# sets port, wpid, booted (ms), deployed (ms).
launch() {
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    : > "$work/warhorse.log"
    (cd "$work" && exec "$home/bin/warhorse" -c "$1" --workers 1 --bind "127.0.0.1:$port" "$2" > warhorse.log 2>&1) &
    pid=$!
    local end=$((SECONDS + 120))
    until grep -q ') ready (' "$work/warhorse.log"; do
        [ $SECONDS -lt $end ] && kill -0 "$pid" 2>/dev/null || { echo "no ready worker within 120 s:" >&2; tail -20 "$work/warhorse.log" >&2; exit 1; }
        sleep 0.05
    done
    booted=$(grep -o 'booted in [0-9]* ms' "$work/warhorse.log" | grep -o '[0-9]*' | head -1)
    deployed=$(grep -o 'deployed in [0-9]* ms' "$work/warhorse.log" | grep -o '[0-9]*' | head -1)
    wpid=$(grep -o 'worker 1 (pid:[0-9]*' "$work/warhorse.log" | grep -o '[0-9]*$' | head -1)
}
# ms PATH: the time of one GET in ms, which must answer 200.
ms() {
    local out
    out=$(curl -s -m 60 -o /dev/null -w '%{http_code} %{time_total}' "http://127.0.0.1:$port$1")
    [ "${out%% *}" = 200 ] || { echo "GET $1 answered ${out%% *}" >&2; exit 1; }
    python3 -c "print(round(${out#* } * 1000))"
}
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$wpid/status"; }
heap_kib() {
    jcmd "$wpid" GC.run > /dev/null 2>&1 || { echo "?"; return; }
    jcmd "$wpid" GC.heap_info 2>/dev/null | awk '/garbage-first heap/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); print v; exit } }'
}
# summary NAME VALUES...: median and range.
summary() {
    local name=$1; shift
    [ $# -gt 0 ] || return 0
    local sorted=($(printf '%s\n' "$@" | sort -n))
    local n=${#sorted[@]}
    echo "$name: median ${sorted[$((n / 2))]}, range ${sorted[0]}-${sorted[$((n - 1))]} ($n runs)"
}

hello_boot=(); hello_deploy=(); jsp_boot=(); jsp_deploy=(); first=(); second=(); hello_first=()
pre_boot=(); pre_deploy=(); pre_first=(); pre_second=()
for i in $(seq "$runs"); do
    launch base.conf "$home/apps/hello.war=/"
    hello_boot+=("$booted"); hello_deploy+=("$deployed"); hello_first+=("$(ms /hello)")
    stop_master
    launch base.conf "$home/apps/jsp.war=/"
    jsp_boot+=("$booted"); jsp_deploy+=("$deployed")
    a=$(ms /index.jsp); b=$(ms /index.jsp); first+=("$a"); second+=("$b")
    stop_master
    echo "run $i: hello booted ${hello_boot[-1]} ms (deployed ${hello_deploy[-1]}); jsp booted ${jsp_boot[-1]} ms (deployed ${jsp_deploy[-1]}), /index.jsp first $a ms, second $b ms"
    launch precompile.conf "$home/apps/jsp.war=/"
    pre_boot+=("$booted"); pre_deploy+=("$deployed")
    a=$(ms /index.jsp); b=$(ms /index.jsp); pre_first+=("$a"); pre_second+=("$b")
    stop_master
    echo "run $i: jsp with jsp.precompile booted ${pre_boot[-1]} ms (deployed ${pre_deploy[-1]}), /index.jsp first $a ms, second $b ms"
done

rss_before=(); rss_after=(); heap_before=(); heap_after=()
for i in $(seq "$runs_ws"); do
    launch base.conf "$home/apps/chat.war=/chat"
    for _ in 1 2 3; do ms /chat/ > /dev/null; done
    heap_before+=("$(heap_kib)"); rss_before+=("$(rss_kib)") # RSS after the full GC, as below
    coproc HOLD { exec java "$root/bench/lib/WsHold.java" "ws://127.0.0.1:$port/chat/room" 1000; }
    holder=$HOLD_PID
    read -r -t 300 line <&"${HOLD[0]}" || { echo "the WebSocket client did not open 1000 sockets within 300 s" >&2; exit 1; }
    [ "$line" = "open 1000" ] || { echo "the WebSocket client said: $line" >&2; exit 1; }
    heap_after+=("$(heap_kib)"); rss_after+=("$(rss_kib)")
    echo done >&"${HOLD[1]}"
    wait "$holder" || true
    holder=
    stop_master
    echo "run $i: chat worker RSS ${rss_before[-1]} -> ${rss_after[-1]} KiB, heap after GC ${heap_before[-1]} -> ${heap_after[-1]} KiB with 1000 WebSockets open"
done

echo
summary "hello.war boot to ready (ms)" "${hello_boot[@]}"
summary "jsp.war boot to ready (ms)" "${jsp_boot[@]}"
summary "jsp.war with jsp.precompile boot to ready (ms)" "${pre_boot[@]}"
summary "hello.war deploy (ms)" "${hello_deploy[@]}"
summary "jsp.war deploy (ms)" "${jsp_deploy[@]}"
summary "jsp.war with jsp.precompile deploy (ms)" "${pre_deploy[@]}"
summary "hello.war first GET /hello (ms)" "${hello_first[@]}"
summary "jsp.war first GET /index.jsp, compiled on it (ms)" "${first[@]}"
summary "jsp.war second GET /index.jsp (ms)" "${second[@]}"
summary "jsp.war with jsp.precompile first GET /index.jsp (ms)" "${pre_first[@]}"
summary "jsp.war with jsp.precompile second GET /index.jsp (ms)" "${pre_second[@]}"
for i in $(seq 0 $((runs_ws - 1))); do
    echo "1000 WebSockets, run $((i + 1)): RSS +$(( (rss_after[i] - rss_before[i]) / 1024 )) MiB (${rss_before[i]} -> ${rss_after[i]} KiB), heap after GC ${heap_before[i]} -> ${heap_after[i]} KiB"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other builds and tests share them)"
