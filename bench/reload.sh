#!/usr/bin/env bash
# Measures `warhorse --reload`: the time from a replaced WAR (renamed into place, as a build or a deploy script
# does) to its new version answering, RUNS times in a row on one master with one worker; and the release
# tarball's size. Needs the built distribution (bin/warhorse or mvn package builds it).
#   bench/reload.sh [RUNS]        (default 5; prints one line per run, then min / median / max)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/jdk25.sh"
runs=${1:-5}
home="$root/distribution/target/warhorse"
[ -x "$home/bin/warhorse" ] || { echo "build the distribution first (bin/warhorse --version)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/warhorse-reload-bench.XXXXXX")
pid=
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# A copy of hello.war whose /version.txt says $1.
version_war() {
    cp "$home/apps/hello.war" "$work/next.war"
    (cd "$work" && echo "$1" > version.txt && zip -q next.war version.txt)
}
# Waits up to 120 s until /version.txt answers $1.
await_version() {
    local end=$((SECONDS + 120))
    until [ "$(curl -s -m 5 "http://127.0.0.1:$port/version.txt" || true)" = "$1" ]; do
        [ $SECONDS -lt $end ] || { echo "no $1 within 120 s; log: $work/warhorse.log" >&2; tail -20 "$work/warhorse.log" >&2; exit 1; }
        sleep 0.02
    done
}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
version_war v0 && mv "$work/next.war" "$work/app.war"
echo 'warhorse.reload.settle = 300ms' > "$work/dev.conf"
(cd "$work" && exec "$home/bin/warhorse" --reload -c dev.conf --bind "127.0.0.1:$port" --admin-bind 127.0.0.1:0 \
    app.war=/ > warhorse.log 2>&1) &
pid=$!
await_version v0
times=()
for i in $(seq "$runs"); do
    version_war "v$i"
    start=$(date +%s%N)
    mv "$work/next.war" "$work/app.war"
    await_version "v$i"
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    times+=("$ms")
    # the next change only once this rollout is over (its old worker gone), as a developer's next build would be
    end=$((SECONDS + 120))
    until [ "$(grep -c 'reload complete' "$work/warhorse.log")" -ge "$i" ]; do
        [ $SECONDS -lt $end ] || { echo "reload $i did not complete" >&2; exit 1; }
        sleep 0.1
    done
    echo "run $i: changed WAR -> new version serving in $ms ms"
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "reload (settle 300 ms, 1 worker, $runs runs): min ${sorted[0]} ms, median ${sorted[$((runs / 2))]} ms, max ${sorted[$((runs - 1))]} ms"
echo "boot of each new worker (from the log): $(grep -o 'booted in [0-9]* ms' "$work/warhorse.log" | tail -n "$runs" | tr '\n' ' ')"
for tarball in "$root"/distribution/target/warhorse-*.tar.gz; do
    [ -f "$tarball" ] && echo "release tarball: $(basename "$tarball") $(stat -c %s "$tarball") bytes"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
