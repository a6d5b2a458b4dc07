#!/usr/bin/env bash
# Fuzzes the parsers that read what clients send (server/examples/fuzz.rs): the token parser,
# the Authorization header reader, the name rule and the X-Forwarded-For reader. Prints, per
# target, the inputs tried and the failures (panics or broken properties, with their input).
#
#   scripts/fuzz.sh                 # 60 s per target, optimised build
#   scripts/fuzz.sh --inputs 10000000
#   scripts/fuzz.sh --seconds 5 token name
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_build_tools
args=("$@")
[ "${#args[@]}" -gt 0 ] || args=(--seconds 60)
log "fuzzing (release build): ${args[*]}"
cargo run --release -q -p tessera --features app/ssr --example fuzz -- "${args[@]}"
