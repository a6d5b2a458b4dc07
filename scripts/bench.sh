#!/usr/bin/env bash
# The bearer-authentication benchmark (docs/benchmarks.md): builds the release server, makes
# sure the `wrk` load generator is installed (Debian package), and runs scripts/bench.py.
#
#   scripts/bench.sh                 # SQLite: throughput/latency table, ratios, usage check
#   scripts/bench.sh --pg ADMIN_URL  # two instances on one PostgreSQL: revocation delay
#   scripts/bench.sh --memory        # resident memory after each workload (issue 19)
#
# BENCH_SECONDS, BENCH_CONNECTIONS and BENCH_THREADS tune the wrk runs (10 s, 32, 2).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

command -v wrk >/dev/null || apt_install wrk
log "cargo build --release -p tessera"
cargo build --release -p tessera
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
exec python3 "$ROOT/scripts/bench.py" --binary "$TARGET_DIR/release/tessera" "$@"
