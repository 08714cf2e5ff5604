#!/usr/bin/env bash
# Builds the C++ notes example into a component with witc and clang++-19:
#
#   WIT (../../wit, world notes-cli)
#     -> witc bindgen cpp            notes_cli_cpp.h, notes_cli.cpp, notes_cli_component_type.o
#     -> clang++-19 -c               (wasm32-wasi, C++23, no exceptions, -Werror, -Os)
#     -> clang++-19 -mexec-model=reactor   a core module with a component-type section
#     -> witc component new --adapt  the component, with the WASI preview1 adapter merged in
#     -> witc validate, witc inspect
#
# Usage: examples/notes/build.sh [OUT_DIR]     (default: build/examples/notes)
# WITC: the witc binary (default: build/bin/witc of the repository);
# ADAPTER: wasi_snapshot_preview1.reactor.wasm (default: the one of the npm
# package @bytecodealliance/jco in JCO_DIR, default /tmp/jco).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/build/examples/notes}
witc=${WITC:-$root/build/bin/witc}
adapter=${ADAPTER:-${JCO_DIR:-/tmp/jco}/node_modules/@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm}
cxx=(clang++-19 --target=wasm32-wasi -std=c++23 -fno-exceptions -Wall -Wextra -Werror -Wno-unused-parameter -Os)
step() { printf '\n$ %s\n' "$*"; "$@"; }

mkdir -p "$out"
step "$witc" bindgen cpp "$root/wit" -w notes-cli --out-dir "$out/gen"
# The class of the exported resource is the program's own (the generated
# header is only a starting point).
cp "$here/exports-witc-demo-notes-Notebook.h" "$out/gen/"
step "${cxx[@]}" -c "$out/gen/notes_cli.cpp" -o "$out/bindings.o" -I"$out/gen"
step "${cxx[@]}" -c "$here/notes.cpp" -o "$out/notes.o" -I"$out/gen"
# -mexec-model=reactor is a link option (clang-19 refuses it with -c);
# --strip-all keeps the component-type section (wasm-ld keeps custom sections).
step clang++-19 --target=wasm32-wasi -mexec-model=reactor -Wl,--strip-all "$out/notes.o" "$out/bindings.o" \
  "$out/gen/notes_cli_component_type.o" -o "$out/notes.core.wasm"
step "$witc" component new "$out/notes.core.wasm" --adapt "wasi_snapshot_preview1=$adapter" -o "$out/notes.wasm"
step "$witc" validate "$out/notes.wasm"
step "$witc" inspect "$out/notes.wasm"
echo
echo "$out/notes.wasm: $(wc -c <"$out/notes.wasm") bytes"
