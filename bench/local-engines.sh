#!/usr/bin/env bash
# Which embedded engine backs the local session store: SQLite (WAL) against H2 (AUTO_SERVER, its multi-process
# mode), two worker-like processes of four threads each on one database file, reads (the per-request version check)
# then writes (the upsert of a changed session). RUNS runs of SECONDS each, engines alternating. Fetches H2 with
# Maven (sqlite-jdbc is warhorse's own dependency). See bench/engines/LocalEngines.java.
#   bench/local-engines.sh            # 3 runs of 5 s
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
repo=${MAVEN_REPO:-$HOME/.m2/repository}
mvn -B -ntp -q dependency:get -Dartifact=com.h2database:h2:2.5.252 >/dev/null
mvn -B -ntp -q dependency:get -Dartifact=org.xerial:sqlite-jdbc:3.54.1.0 >/dev/null
cp="$repo/org/xerial/sqlite-jdbc/3.54.1.0/sqlite-jdbc-3.54.1.0.jar:$repo/com/h2database/h2/2.5.252/h2-2.5.252.jar"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for run in $(seq 1 "$RUNS"); do
  for engine in sqlite-wal h2-auto-server; do
    java --enable-native-access=ALL-UNNAMED -cp "$cp" bench/engines/LocalEngines.java "$engine" "$work/$engine-$run" "$SECONDS_PER_RUN" | sed "s/^/run $run: /"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
