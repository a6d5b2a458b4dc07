#!/usr/bin/env bash
# The bearer-authentication benchmark (docs/benchmarks.md): builds the release server, makes
# sure the `wrk` load generator is installed (Debian package), and runs scripts/bench.py.
#
#   scripts/bench.sh                 # SQLite: throughput/latency table, ratios, usage check
#   scripts/bench.sh --pg ADMIN_URL  # two instances on one PostgreSQL: revocation delay
#   scripts/bench.sh --memory        # resident memory after each workload (issue 19)
#   scripts/bench.sh --first-load    # bytes and time to hydration of the API Tokens tab, first
#                                    # and repeat visit, at 10 Mbit/s and 40 ms (release bundle)
#   scripts/bench.sh --kb            # knowledge base on SQLite (issue 14): ingestion of the
#                                    # python3.11-doc HTML, search speed and quality, a 200 MiB upload
#   scripts/bench.sh --kb --pg [ADMIN_URL]  # the same on PostgreSQL (no URL: the machine's own,
#                                           # set up as for the tests)
#
# BENCH_SECONDS, BENCH_CONNECTIONS and BENCH_THREADS tune the wrk runs (10 s, 32, 2).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

if [ "${1:-}" = "--first-load" ]; then
  ensure_build_tools
  apt_install chromium
  build_release
  cd end2end
  exec env TESSERA_BIN="$ROOT/target/release/tessera" npx playwright test --config bench/playwright.config.ts
fi

command -v wrk >/dev/null || apt_install wrk
script="$ROOT/scripts/bench.py"
if [ "${1:-}" = "--kb" ]; then
  shift
  script="$ROOT/scripts/bench_kb.py"
  apt_install python3.11-doc
  if [ "${1:-}" = "--pg" ] && { [ $# -lt 2 ] || [[ "$2" == -* ]]; }; then
    shift
    set -- --pg "$(ensure_test_postgres)" "$@"
  fi
fi
log "cargo build --release -p tessera"
cargo build --release -p tessera
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
exec python3 "$script" --binary "$TARGET_DIR/release/tessera" "$@"
