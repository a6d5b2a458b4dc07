#!/usr/bin/env bash
# Runs every test: formatting, the import-circle check, clippy (server and wasm32), the Rust
# tests on SQLite and on PostgreSQL, then the release build that scripts/run.sh serves
# (failing if its WASM is over budget), the Playwright suite against it in headless
# chromium, and the SDKs' and tsr's checks and tests against it.
# Installs what is missing first (see scripts/lib.sh). Under CI=true a PostgreSQL that
# cannot be started is a failure; elsewhere those tests are skipped with a loud warning.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_build_tools
apt_install chromium

# Runs `cargo test` with the given environment and prints how many tests passed.
RUST_TEST_ARGS=(-p app -p tessera -p tessera-extract -p tessera-wire --features app/ssr)
rust_tests() {
  local label="$1" output
  shift
  output="$(mktemp)"
  log "Rust tests on $label"
  env "$@" cargo test "${RUST_TEST_ARGS[@]}" -- "${TEST_HARNESS_ARGS[@]}" 2>&1 | tee "$output"
  local passed ignored
  passed="$(awk '/^test result:/ {sum += $4} END {print sum + 0}' "$output")"
  ignored="$(awk '/^test result:/ {sum += $8} END {print sum + 0}' "$output")"
  rm -f "$output"
  SUMMARY+=("Rust tests on $label: $passed passed, $ignored ignored")
}
SUMMARY=()

log "cargo fmt --check"
cargo fmt --all -- --check

log "import circles between app/src files"
python3 scripts/import_cycles.py

log "clippy (server side, the Rust SDK and tsr)"
cargo clippy "${RUST_TEST_ARGS[@]}" -p tessera-sdk -p tessera-cli --all-targets -- -D warnings
log "rustdoc (the Rust SDK and the wire types: no warnings, no broken links)"
RUSTDOCFLAGS="-D warnings" cargo doc -q -p tessera-sdk -p tessera-wire --no-deps
log "clippy (wasm32)"
cargo clippy -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

# Tests that need PostgreSQL or an S3-compatible server are #[ignore]d in plain runs (and
# reported as ignored there); the PostgreSQL pass includes them, with moto as the S3 server.
if ensure_test_s3; then
  export TESSERA_TEST_S3_ENDPOINT="$TEST_S3_ENDPOINT" AWS_ACCESS_KEY_ID=tessera-test AWS_SECRET_ACCESS_KEY=tessera-test
  SUMMARY+=("S3-compatible server for the object-store tests: moto at $TEST_S3_ENDPOINT")
elif [ "${CI:-}" = "true" ]; then
  warn "the S3-compatible test server (moto) could not be started: failing, as CI requires it"
  exit 1
fi
TEST_HARNESS_ARGS=()
rust_tests SQLite TESSERA_TEST_POSTGRES_URL=

if pg_url="$(ensure_test_postgres)"; then
  TEST_HARNESS_ARGS=(--include-ignored)
  rust_tests PostgreSQL TESSERA_TEST_POSTGRES_URL="$pg_url"
elif [ "${CI:-}" = "true" ]; then
  warn "PostgreSQL could not be started: failing, as CI requires the PostgreSQL tests"
  exit 1
else
  warn "################################################################"
  warn "PostgreSQL could not be started: the PostgreSQL tests were SKIPPED"
  warn "################################################################"
  SUMMARY+=("Rust tests on PostgreSQL: SKIPPED")
fi

# A short fuzzing pass over the client-facing parsers (the long run: scripts/fuzz.sh).
log "fuzzing, short pass (3 s per parser)"
cargo run -q -p tessera --features app/ssr --example fuzz -- --seconds 3
SUMMARY+=("Fuzzing, short pass: no failures")

# The browser tests run against the very build `run.sh` serves.
build_release
[ "$BUNDLE_OVER_BUDGET" = 0 ] || exit 1
SUMMARY+=("Release WASM, largest first visit: within $WASM_GZIP_BUDGET_BYTES bytes gzipped; API Tokens tab as sent within $TOKENS_TAB_SENT_BUDGET_BYTES bytes")
log "Playwright (headless chromium) against the release build"
(cd end2end && TESSERA_BIN="$RELEASE_DIR/tessera" npx playwright test)

# --- memory check (issue 19): RSS of the release server stays under its ceiling ----------
log "memory check (release server: 300 token creations, 100 concurrent wrong sign-ins)"
python3 scripts/memory_check.py --binary "$RELEASE_DIR/tessera" --ceiling-mb 150
SUMMARY+=("Memory check (RSS ≤ 150 MB): passed")
# --- end of memory check ---------------------------------------------------------------

# The SDKs: the generated TypeScript and Python code matches the release server's OpenAPI
# document, and the TypeScript, Python and Rust SDKs' and tsr's tests pass against that server.
log "SDKs: generated code in step with the server's document"
scripts/sdks.sh check
log "SDKs and tsr: tests against the release server"
scripts/sdks.sh test
SUMMARY+=("SDKs: generated code in step; TypeScript, Python and Rust SDK and tsr tests passed")

log "summary"
printf '  %s\n' "${SUMMARY[@]}" "Playwright: passed"
