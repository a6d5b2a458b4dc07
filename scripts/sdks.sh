#!/usr/bin/env bash
# The SDKs (sdk/, SPEC §7) and tsr (cli/): the TypeScript and Python clients' generated code
# comes from the release server's OpenAPI document; every SDK's tests and tsr's run against
# that server.
#
#   scripts/sdks.sh generate   # regenerate sdk/openapi.json, the TypeScript types and the
#                              # Python client from the server's /api/openapi.json
#   scripts/sdks.sh check      # fail if the committed generated code differs from a fresh run
#   scripts/sdks.sh test       # the TypeScript, Python and Rust SDKs' and tsr's tests against a
#                              # fresh server on a throwaway SQLite
#
# TESSERA_BIN names the server binary (default: target/release/tessera). The generators' npm
# and PyPI packages are pinned (sdk/typescript/package-lock.json, sdk/python/requirements.txt)
# and installed into sdk/typescript/node_modules and sdk/python/.venv when missing.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SDK="$ROOT/sdk"
TS="$SDK/typescript"
PY="$SDK/python"
VENV="$PY/.venv"
TESSERA_BIN="${TESSERA_BIN:-$RELEASE_DIR/tessera}"
# `default` makes a field required to openapi-typescript, but in requests (permissions) a
# left-out field takes its default; a schema of `type: object` alone is any JSON object.
OPENAPI_TYPESCRIPT_FLAGS=(--default-non-nullable false --empty-objects-unknown)
# What `generate` writes and `check` compares, relative to sdk/.
GENERATED=(openapi.json typescript/src/schema.ts python/tessera_api)

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

ensure_sdk_npm() {
  if [ -x "$TS/node_modules/.bin/openapi-typescript" ] && [ -x "$TS/node_modules/.bin/tsc" ] \
    && [ "$TS/node_modules/.package-lock.json" -nt "$TS/package-lock.json" ]; then
    return 0
  fi
  log "npm ci (sdk/typescript)"
  (cd "$TS" && npm ci --no-audit --no-fund --loglevel=error)
}

ensure_sdk_venv() {
  # The stamp holds the requirements the venv was built from; a change rebuilds it.
  if [ -x "$VENV/bin/python" ] && cmp -s "$PY/requirements.txt" "$VENV/.requirements.txt"; then
    return 0
  fi
  log "Python venv (sdk/python/.venv) from sdk/python/requirements.txt"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$PY/requirements.txt"
  cp "$PY/requirements.txt" "$VENV/.requirements.txt"
}

# Starts the server on a fresh SQLite database in $WORK and sets BASE_URL.
start_server() {
  if [ ! -x "$TESSERA_BIN" ]; then
    warn "no server binary at $TESSERA_BIN: build it (cargo leptos build --release) or set TESSERA_BIN"
    exit 1
  fi
  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  BASE_URL="http://127.0.0.1:$port"
  mkdir -p "$WORK/server"
  TESSERA_ADDR="127.0.0.1:$port" DATABASE_URL="sqlite://$WORK/server/t.db" \
    TESSERA_DATA_DIR="$WORK/server" TESSERA_USAGE_FLUSH_SECS=1 RUST_LOG=warn \
    "$TESSERA_BIN" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  local tries
  for tries in $(seq 1 300); do
    if curl -sf -o /dev/null "$BASE_URL/healthz"; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  warn "the server did not start; its log:"
  cat "$WORK/server.log" >&2
  exit 1
}

# Writes the three generated artifacts under $1 (sdk/ itself, or a folder laid out like it).
generate_into() {
  local out="$1"
  mkdir -p "$out/typescript/src" "$out/python"
  curl -sSf "$BASE_URL/api/openapi.json" -o "$WORK/raw.json"
  python3 "$SDK/openapi_prepare.py" normalize "$WORK/raw.json" "$out/openapi.json"
  (cd "$TS" && node_modules/.bin/openapi-typescript "$out/openapi.json" -o "$out/typescript/src/schema.ts" \
    "${OPENAPI_TYPESCRIPT_FLAGS[@]}" >"$WORK/tsgen.log" 2>&1) || { cat "$WORK/tsgen.log" >&2; exit 1; }
  # Generated outside the repository, so no project ruff settings reach the post-hooks.
  python3 "$SDK/openapi_prepare.py" python "$out/openapi.json" "$WORK/python-input.json"
  rm -rf "$WORK/pygen" "$out/python/tessera_api"
  (cd "$WORK" && PATH="$VENV/bin:$PATH" "$VENV/bin/openapi-python-client" generate \
    --path "$WORK/python-input.json" --config "$PY/generator.yml" --meta none \
    --output-path "$WORK/pygen" >"$WORK/pygen.log" 2>&1) || { cat "$WORK/pygen.log" >&2; exit 1; }
  if grep -qiE "warning|unable|error" "$WORK/pygen.log"; then
    cat "$WORK/pygen.log" >&2
    warn "openapi-python-client left parts out (above): fix the document or sdk/openapi_prepare.py"
    exit 1
  fi
  mv "$WORK/pygen" "$out/python/tessera_api"
}

cmd_generate() {
  ensure_sdk_npm
  ensure_sdk_venv
  start_server
  log "generating from $BASE_URL/api/openapi.json"
  generate_into "$SDK"
  log "generated: ${GENERATED[*]/#/sdk/}"
}

cmd_check() {
  ensure_sdk_npm
  ensure_sdk_venv
  start_server
  log "checking the committed generated SDK code against $BASE_URL/api/openapi.json"
  generate_into "$WORK/fresh"
  local path stale=()
  for path in "${GENERATED[@]}"; do
    if ! diff -rq -x __pycache__ "$SDK/$path" "$WORK/fresh/$path" >/dev/null 2>&1; then stale+=("$path"); fi
  done
  if [ ${#stale[@]} -eq 0 ]; then
    log "the generated SDK code is current"
    return 0
  fi
  warn "the committed generated SDK code differs from the server's OpenAPI document:"
  mkdir -p "$WORK/committed"
  for path in "${stale[@]}"; do
    mkdir -p "$(dirname "$WORK/committed/$path")"
    cp -R "$SDK/$path" "$WORK/committed/$path"
    (cd "$WORK" && git diff --no-index --stat=100 "committed/$path" "fresh/$path" >&2) || true
  done
  (cd "$WORK" && git diff --no-index committed/openapi.json fresh/openapi.json | head -80 >&2) || true
  warn "run scripts/sdks.sh generate and commit the result"
  exit 1
}

# First-run setup through the browser door, then the account token the tests use and an
# environment for their triggers; exported for the test runners, never printed.
set_up_workspace() {
  local cookies="$WORK/cookies" rpc=(curl -sSf -b "$WORK/cookies" -c "$WORK/cookies" -H "Sec-Fetch-Site: same-origin")
  : >"$cookies"
  "${rpc[@]}" -o /dev/null "$BASE_URL/rpc/setup_workspace" \
    --data-urlencode "workspace_name=SDK tests" --data-urlencode "name=SDK Owner" \
    --data-urlencode "email=sdk@example.com" --data-urlencode "password=sdk tests password 1234"
  [ -s "$cookies" ] || { warn "setup_workspace set no session cookie"; exit 1; }
  TESSERA_API_TOKEN="$("${rpc[@]}" "$BASE_URL/rpc/create_token" --data-urlencode "name=sdk tests" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["plaintext"])')"
  TESSERA_TEST_ENVIRONMENT_ID="$("${rpc[@]}" "$BASE_URL/rpc/create_environment" \
    --data-urlencode "name=SDK tests" --data-urlencode "purpose=testing" --data-urlencode "description=" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')"
  export TESSERA_API_TOKEN TESSERA_TEST_ENVIRONMENT_ID
  export TESSERA_API_URL="$BASE_URL"
}

cmd_test() {
  ensure_sdk_npm
  ensure_sdk_venv
  start_server
  set_up_workspace
  local summary=() output started
  output="$WORK/test-output"

  log "TypeScript SDK: tsc (types against the generated schema)"
  (cd "$TS" && node_modules/.bin/tsc --noEmit -p .)
  log "TypeScript SDK: tests against $BASE_URL"
  started=$(date +%s)
  if ! (cd "$TS" && node --import tsx --test --test-concurrency=1 --test-reporter=spec test/*.test.ts) 2>&1 | tee "$output"; then
    warn "TypeScript SDK tests failed"
    exit 1
  fi
  summary+=("TypeScript SDK: $(awk '/^ℹ pass/ {print $3}' "$output") passed, $(awk '/^ℹ fail/ {print $3}' "$output") failed ($(($(date +%s) - started)) s)")

  log "Python SDK: tests against $BASE_URL"
  started=$(date +%s)
  if ! (cd "$PY" && PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/python" -m pytest -q -p no:cacheprovider tests) 2>&1 | tee "$output"; then
    warn "Python SDK tests failed"
    exit 1
  fi
  summary+=("Python SDK: $(tail -1 "$output" | sed 's/=//g; s/^ *//; s/ *$//') ($(($(date +%s) - started)) s)")

  # The Rust SDK and the tsr CLI: release, to share the release build's dependencies.
  log "Rust SDK and tsr CLI: tests against $BASE_URL"
  started=$(date +%s)
  if ! (cd "$ROOT" && cargo test --release -p tessera-sdk -p tessera-cli) 2>&1 | tee "$output"; then
    warn "Rust SDK or CLI tests failed"
    exit 1
  fi
  summary+=("Rust SDK and CLI: $(awk '/^test result:/ {passed += $4; failed += $6} END {print passed + 0}' "$output") passed, $(awk '/^test result:/ {failed += $6} END {print failed + 0}' "$output") failed ($(($(date +%s) - started)) s)")

  log "summary"
  printf '  %s\n' "${summary[@]}"
}

case "${1:-}" in
  generate) cmd_generate ;;
  check) cmd_check ;;
  test) cmd_test ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
