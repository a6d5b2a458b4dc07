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
#   scripts/bench.sh --assistant     # assistant chat on SQLite (issue 17): time to the first
#                                    # text delta and to the end, citations of the expected page,
#                                    # "no answer" to unanswerable questions (python3.11-doc corpus)
#   scripts/bench.sh --assistant --pg [ADMIN_URL]  # the same on PostgreSQL
#   scripts/bench.sh --runtime       # agent runtime on SQLite: webhook events/s with the
#                                    # rows counted (none lost, none doubled), event → running
#   scripts/bench.sh --runtime --pg [ADMIN_URL]    # the same on PostgreSQL, plus a backlog
#                                                  # drained by one, then two instances
#
# BENCH_SECONDS, BENCH_CONNECTIONS and BENCH_THREADS tune the wrk runs (10 s, 32, 2).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

if [ "${1:-}" = "--first-load" ]; then
  ensure_build_tools
  apt_install chromium
  build_release
  cd end2end
  exec env TESSERA_BIN="$RELEASE_DIR/tessera" npx playwright test --config bench/playwright.config.ts
fi

script="$ROOT/scripts/bench.py"
case "${1:-}" in
  --kb) script="$ROOT/scripts/bench_kb.py" ;;
  --assistant) script="$ROOT/scripts/bench_assistant.py" ;;
  --runtime) script="$ROOT/scripts/bench_runtime.py" ;;
esac
if [ "$script" != "$ROOT/scripts/bench.py" ]; then
  shift
  [ "$script" = "$ROOT/scripts/bench_runtime.py" ] || apt_install python3.11-doc
  if [ "${1:-}" = "--pg" ] && { [ $# -lt 2 ] || [[ "$2" == -* ]]; }; then
    shift
    set -- --pg "$(ensure_test_postgres)" "$@"
  fi
fi
# The assistant and runtime benchmarks send their own requests; the others load the server
# with wrk.
case "$script" in
  "$ROOT/scripts/bench_assistant.py" | "$ROOT/scripts/bench_runtime.py") ;;
  *) command -v wrk >/dev/null || apt_install wrk ;;
esac
log "cargo build --release -p tessera"
cargo build --release -p tessera
exec python3 "$script" --binary "$RELEASE_DIR/tessera" "$@"
