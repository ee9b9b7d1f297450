#!/usr/bin/env bash
# S1 (GET /hello, hello.war) over TLS: warhorse (one virtual worker) beside Tomcat (the bench's embedded Tomcat,
# virtual-thread connector, TLS from the same PEM files, h2 by ALPN), in the same run, rounds alternating the two
# servers. HTTP/1.1 load comes from wrk (C connections), h2 load from h2load (Debian's nghttp2-client: C/4
# connections of 16 streams each). Prints req/s per run and warhorse/Tomcat ratios (median, min-max).
# --tomcat VERSION runs another embedded Tomcat (10.1.56, the 10.1 line warhorse's JSP support comes from, is
# served by Maven Central), built from the same sources into bench/targets/target-tomcat-VERSION.
#
#   bench/tls.sh [--runs N] [--duration S] [--connections C] [--tomcat VERSION]
#   (defaults: 3 runs, 10 s, 64 connections, the bench's Tomcat: 11.0.27)
#
# Every wait is bounded: readiness 180 s, each h2load its duration + 30 s; both servers are stopped by pid on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=3 DURATION=10 CONNECTIONS=64 TOMCAT=
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --tomcat) TOMCAT=$2; shift 2 ;;
        *) echo "usage: bench/tls.sh [--runs N] [--duration S] [--connections C] [--tomcat VERSION]" >&2; exit 2 ;;
    esac
done
[[ -z "$TOMCAT" || "$TOMCAT" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "bench/tls.sh: --tomcat wants a version such as 10.1.56, not '$TOMCAT'" >&2; exit 2; }
command -v h2load >/dev/null || { echo "bench/tls.sh: needs h2load (apt-get install nghttp2-client)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench/tls.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
. "$ROOT/bin/jdk25.sh"
HOME_W=${WARHORSE_HOME:-$ROOT/distribution/target/warhorse}
[ -x "$HOME_W/bin/warhorse" ] || (cd "$ROOT" && mvn -B -q -ntp -DskipTests package -pl distribution -am)
TARGETS=$ROOT/bench/targets/target${TOMCAT:+-tomcat-$TOMCAT}
[ -d "$TARGETS/classes" ] || mvn -B -q -ntp -f "$ROOT/bench/targets/pom.xml" package \
    ${TOMCAT:+-Dtomcat.version=$TOMCAT -Dbench.build.directory=$TARGETS}

WORK=$(mktemp -d /tmp/warhorse-bench-tls-XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do timeout 15 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
    -days 2 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost 2>/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
await() { # url: 200 within 90 s
    for _ in $(seq 1 360); do
        [ "$(curl -sk -o /dev/null -w '%{http_code}' "$1" 2>/dev/null)" = 200 ] && return 0
        sleep 0.5
    done
    echo "bench/tls.sh: $1 not ready within 180 s" >&2; exit 1
}

WPORT=$(free_port); TPORT=$(free_port)
TMPDIR=$WORK "$HOME_W/bin/warhorse" --worker virtual --bind "127.0.0.1:$WPORT" --admin-bind 127.0.0.1:0 --timeout 120 \
    --certfile "$WORK/cert.pem" --keyfile "$WORK/key.pem" "$HOME_W/apps/hello.war=/" > "$WORK/warhorse.log" 2>&1 &
PIDS+=($!)
BENCH_TLS_CERT=$WORK/cert.pem BENCH_TLS_KEY=$WORK/key.pem "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} \
    -cp "$TARGETS/classes:$TARGETS/lib/*" io.warhorse.bench.TomcatServer "$TPORT" virtual \
    > "$WORK/tomcat.log" 2>&1 &
PIDS+=($!)
await "https://127.0.0.1:$WPORT/hello"; await "https://127.0.0.1:$TPORT/hello"

name() { [ "$1" = "$WPORT" ] && echo warhorse || echo Tomcat; }

load() { # protocol port -> req/s
    if [ "$1" = h1 ]; then
        # wrk, not h2load --h1: h2load counts every answer without a reason phrase ("HTTP/1.1 200 ", as Tomcat
        # sends them) as failed, and reported nothing for Tomcat
        timeout $((DURATION + 32)) wrk -t 2 -c "$CONNECTIONS" -d "${DURATION}s" "https://127.0.0.1:$2/hello" > "$WORK/load.out" 2>&1 || true
        if grep -qE "Non-2xx|Socket errors" "$WORK/load.out"; then
            echo "bench/tls.sh: wrk on port $2 ($(name "$2")) had failures:" >&2; grep -E "Non-2xx|Socket errors" "$WORK/load.out" >&2 || true
        fi
        sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$WORK/load.out"
        return
    fi
    timeout $((DURATION + 32)) h2load -D "$DURATION" --warm-up-time 2 -c $((CONNECTIONS / 4)) -m 16 "https://127.0.0.1:$2/hello" \
        > "$WORK/load.out" 2>&1 || true
    if ! grep -q "0 failed, 0 errored" "$WORK/load.out"; then
        echo "bench/tls.sh: h2load on port $2 ($(name "$2")) had failures:" >&2
        grep -E "^requests:|^status codes:" "$WORK/load.out" >&2 || true
    fi
    sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' "$WORK/load.out"
}
for proto in h1 h2; do load "$proto" "$WPORT" >/dev/null; load "$proto" "$TPORT" >/dev/null; done   # warm-up, not counted

TOMCAT_JAR=$(ls "$TARGETS"/lib/tomcat-embed-core-*.jar); TOMCAT_JAR=${TOMCAT_JAR##*/tomcat-embed-core-}
echo "| protocol | run | warhorse req/s | Tomcat ${TOMCAT_JAR%.jar} req/s | ratio |"
echo "|---|---|---|---|---|"
for proto in h1 h2; do
    RATIOS=()
    for run in $(seq 1 "$RUNS"); do
        W=$(load "$proto" "$WPORT"); T=$(load "$proto" "$TPORT")
        R=$(python3 -c "print(f'{float(\"${W:-0}\") / max(float(\"${T:-0}\"), 1e-9):.2f}')")
        RATIOS+=("$R")
        echo "| $proto | $run | ${W:-failed} | ${T:-failed} | $R |"
    done
    python3 -c "import statistics,sys; r=sorted(map(float,sys.argv[1:])); print(f'| {sys.argv[0]} | median of {len(r)} | | | {statistics.median(r):.2f} ({r[0]:.2f}-{r[-1]:.2f}) |')" "${RATIOS[@]}" \
        | sed "s/^| -c /| $proto /"
done
