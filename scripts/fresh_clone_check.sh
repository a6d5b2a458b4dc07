#!/usr/bin/env bash
# The README's run command as a new user meets it: clones this repository's committed `main`
# into a temporary folder, runs ./scripts/run.sh there until /healthz answers and the home
# page hydrates in headless chromium, then stops it and prints the wall time.
#
#   scripts/fresh_clone_check.sh        # cold: the clone builds everything in its own target/
#   CARGO_TARGET_DIR=… scripts/fresh_clone_check.sh   # reuse a build directory
#
# Tools installed in ~/.cargo/bin (cargo-leptos, wasm-bindgen-cli) are reused, as on any
# machine that has run the README once; the clone installs its own npm packages.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

started=$(date +%s)
work="$(mktemp -d)"
clone="$work/tessera"
trap 'stop_server; rm -rf "$work"' EXIT

stop_server() {
  if [ -f "$work/pgid" ]; then
    kill -TERM -- "-$(cat "$work/pgid")" 2>/dev/null || true
    rm -f "$work/pgid"
  fi
}

log "git clone (main) into $clone"
git clone -q --branch main "$ROOT" "$clone"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"

log "./scripts/run.sh in the clone (log: $work/run.log)"
(
  cd "$clone"
  TESSERA_ADDR="127.0.0.1:$port" setsid bash -c 'echo $$ > "$0"; exec ./scripts/run.sh' \
    "$work/pgid" >"$work/run.log" 2>&1 &
)

# A cold build takes a while; give up after an hour.
until curl -sf "$url/healthz" >/dev/null; do
  if [ $(($(date +%s) - started)) -gt 3600 ] || ! pgrep -g "$(cat "$work/pgid" 2>/dev/null || echo 0)" >/dev/null; then
    tail -40 "$work/run.log" >&2
    warn "run.sh did not serve /healthz"
    exit 1
  fi
  sleep 2
done
log "/healthz answers after $(($(date +%s) - started)) s; loading the home page in chromium"
node "$clone/end2end/support/hydrates.mjs" "$url/"
log "fresh clone: served and hydrated in $(($(date +%s) - started)) s"
