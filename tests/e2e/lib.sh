# Shared by the end-to-end scripts (sourced): tool checks and building one
# C++ program into a component with witc.
#
# JCO_DIR: where jco is installed (default /tmp/jco); E2E_PCH: a precompiled
# header of the standard headers wit.h includes (optional, for speed);
# CXX_WASM: the compiler (default clang++-19).
jco=${JCO_DIR:-/tmp/jco}
adapter=$jco/node_modules/@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm
cxx=${CXX_WASM:-clang++-19}
flags=(--target=wasm32-wasi -std=c++23 -fno-exceptions -Wall -Wextra -Werror -Wno-unused-parameter)
# Precompiled standard headers (built with the same flags) when given.
if [ -n "${E2E_PCH:-}" ] && [ -f "$E2E_PCH" ]; then flags+=(-include-pch "$E2E_PCH"); fi

# Exits 77 (ctest's skip) when jco, Node or the compiler is missing.
e2e_require() {
  local why=
  command -v node >/dev/null || why="node is not installed"
  command -v "$cxx" >/dev/null || why="$cxx is not installed"
  [ -f "$adapter" ] || why="jco is not installed in $jco (set JCO_DIR)"
  if [ -n "$why" ]; then
    echo "$why: skipped"
    exit 77
  fi
}

# build_component WITC WIT WORLD SOURCE DIR [HEADER_DIR...] [-- BINDGEN_OPTION...]
# DIR/core.wasm (the program linked as a reactor with the bindings and the
# world's component-type object) and DIR.wasm (`witc component new` with the
# reactor adapter, validated). The headers of HEADER_DIRs (the author's
# classes of exported resources) go next to the generated ones.
build_component() {
  local witc=$1 wit=$2 world=$3 src=$4 dir=$5
  shift 5
  local headers=() opts=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do headers+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  opts=("$@")
  mkdir -p "$dir"
  "$witc" bindgen cpp "$wit" -w "$world" --out-dir "$dir" "${opts[@]}"
  local h
  for h in "${headers[@]}"; do
    if [ -d "$h" ]; then cp "$h"/*.h "$dir/"; fi
  done
  "$cxx" "${flags[@]}" -c "$dir/$world.cpp" -o "$dir/bindings.o" -I"$dir"
  "$cxx" "${flags[@]}" -c "$src" -o "$dir/program.o" -I"$dir"
  # clang-19 refuses -mexec-model=reactor with -c: it is a link option.
  "$cxx" --target=wasm32-wasi -mexec-model=reactor "$dir/program.o" "$dir/bindings.o" \
    "$dir/${world}_component_type.o" -o "$dir/core.wasm"
  "$witc" component new "$dir/core.wasm" --adapt "wasi_snapshot_preview1=$adapter" -o "$dir.wasm"
  "$witc" validate "$dir.wasm" >/dev/null
}
