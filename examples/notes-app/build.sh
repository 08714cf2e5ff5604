#!/usr/bin/env bash
# Builds the C++ notes-app example into a component with witc and clang++-19,
# as examples/notes/build.sh does the notes example:
#
#   WIT (../../wit, world notes-app: imports witc:demo/notes, exports wasi:cli/run)
#     -> witc bindgen cpp            notes_app_cpp.h, notes_app.cpp, notes_app_component_type.o
#     -> clang++-19 -c               (wasm32-wasi, C++23, no exceptions, -Werror, -Os)
#     -> clang++-19 -mexec-model=reactor   a core module with a component-type section
#     -> witc component new --adapt  the component, with the WASI preview1 adapter merged in
#     -> witc validate, witc inspect
#
# The component imports `witc:demo/notes`; `witc plug notes-app.wasm --plug
# notes.wasm` (scripts/demo.sh) fills it with the notes example's export.
#
# Usage: examples/notes-app/build.sh [OUT_DIR]     (default: build/examples/notes-app)
# WITC: the witc binary (default: build/bin/witc of the repository);
# ADAPTER: wasi_snapshot_preview1.reactor.wasm (default: the one of the npm
# package @bytecodealliance/jco in JCO_DIR, default /tmp/jco).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/build/examples/notes-app}
witc=${WITC:-$root/build/bin/witc}
adapter=${ADAPTER:-${JCO_DIR:-/tmp/jco}/node_modules/@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm}
cxx=(clang++-19 --target=wasm32-wasi -std=c++23 -fno-exceptions -Wall -Wextra -Werror -Wno-unused-parameter -Os)
step() { printf '\n$ %s\n' "$*"; "$@"; }

mkdir -p "$out"
step "$witc" bindgen cpp "$root/wit" -w notes-app --out-dir "$out/gen"
step "${cxx[@]}" -c "$out/gen/notes_app.cpp" -o "$out/bindings.o" -I"$out/gen"
step "${cxx[@]}" -c "$here/app.cpp" -o "$out/app.o" -I"$out/gen"
step clang++-19 --target=wasm32-wasi -mexec-model=reactor -Wl,--strip-all "$out/app.o" "$out/bindings.o" \
  "$out/gen/notes_app_component_type.o" -o "$out/notes-app.core.wasm"
step "$witc" component new "$out/notes-app.core.wasm" --adapt "wasi_snapshot_preview1=$adapter" -o "$out/notes-app.wasm"
step "$witc" validate "$out/notes-app.wasm"
step "$witc" inspect "$out/notes-app.wasm"
echo
echo "$out/notes-app.wasm: $(wc -c <"$out/notes-app.wasm") bytes"
