#!/usr/bin/env bash
# Rebuilds socket.wasm and plug.wasm of every pair folder here from its
# socket.wit and plug.wit (the .wasm files are committed; rerun after
# changing a .wit and review the diff, then `WITC_BLESS=1 ctest -R
# compose/explain/` and review the expected explanations).
#
# Each world becomes a core module with stub exports (`witc component embed
# --dummy`, cm32p2 names) and then a component (`jco new`, no WASI adapter):
# WITC names the witc binary (default: build/bin/witc), JCO_DIR the folder
# where @bytecodealliance/jco is installed (see tests/fixtures/jco.mjs).
#
# Usage: build.sh [PAIR...]   (default: every folder with a socket.wit)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
WITC=${WITC:-$root/build/bin/witc}
JCO=(node "$root/tests/fixtures/jco.mjs")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pairs=("$@")
if [ ${#pairs[@]} -eq 0 ]; then
  for d in "$here"/*/; do [ -f "$d/socket.wit" ] && pairs+=("$(basename "$d")"); done
fi
for p in "${pairs[@]}"; do
  for side in socket plug; do
    "$WITC" component embed --dummy "$here/$p/$side.wit" -w "$side" -o "$tmp/$side.core.wasm"
    "${JCO[@]}" new "$tmp/$side.core.wasm" none "$here/$p/$side.wasm"
  done
  echo "$p: socket.wasm $(wc -c <"$here/$p/socket.wasm") bytes, plug.wasm $(wc -c <"$here/$p/plug.wasm") bytes"
done
