#!/usr/bin/env bash
# Start-up A/B of warhorse installs (two builds' distribution/target/warhorse): each install's workers' AOT cache is
# recorded afresh by the same three launches (stopped at ready), then launches alternate, round by round, and the
# table gives launch to the worker's spawn and the worker's spawn to ready, with per-round ratios. See
# bench/lib/startup_ab.py. Example, main against a worktree of another commit:
#   bench/startup-ab.sh --rounds 14 distribution/target/warhorse ../other/distribution/target/warhorse
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/lib/startup_ab.py" "$@"
