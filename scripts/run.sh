#!/usr/bin/env bash
# Builds Tessera for release and serves it at http://127.0.0.1:3000 on an embedded SQLite
# database under data/. Installs missing build tools first (see scripts/lib.sh).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_build_tools
build_release
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
log "serving Tessera at http://${TESSERA_ADDR:-127.0.0.1:3000} (Ctrl-C stops it)"
exec "$RELEASE_DIR/tessera"
