#!/usr/bin/env bash
# One end-to-end case of ../shared/corpus/wit-bindgen-runtime (its README
# says how upstream runs them), programs unmodified:
#
#   witc bindgen cpp -> clang++-19 (-c, then a reactor linked by wasm-ld)
#   -> witc component new with the WASI preview1 reactor adapter
#   -> the runner and its dependencies composed (witc plug, or witc compose
#      of a composition graph) -> witc validate -> jco transpile -> run()
#      under Node returns without a trap.
#
# Also, for the same core modules: `jco new` gives a component with the WIT
# witc's has (`witc inspect` = `jco wit`), and the programs linked by
# wasm-component-ld (the reference's component linker, with witc's
# <world>_component_type.o) compose and run the same way.
#
# Usage: run_case.sh WITC WORKDIR CASEDIR EXTRADIR GRAPH WORLD=SOURCE[:ARGS]...
#   CASEDIR   the corpus case (test.wit, programs, cpp/ headers)
#   EXTRADIR  witc's own programs and headers for the case ("-": none)
#   GRAPH     a composition graph (compose-graph-json.md) whose package paths
#             are WORLD.wasm, or "-": plug the others into the first WORLD
#   WORLD=SOURCE[:ARGS]  a component: world, program (without .cpp, found in
#             CASEDIR or EXTRADIR), bindgen options separated by commas
# JCO_DIR: where jco is installed (default /tmp/jco); E2E_PCH: a precompiled
# header of the standard headers wit.h includes (optional, for speed).
# Exit 77 (skipped) when jco, node or clang++-19 is missing.
set -euo pipefail
witc=$1 work=$2 case_dir=$3 extra=$4 graph=$5
shift 5
jco=${JCO_DIR:-/tmp/jco}
adapter=$jco/node_modules/@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm
here=$(cd "$(dirname "$0")" && pwd)
cxx=${CXX_WASM:-clang++-19}
skip() { echo "$1: skipped"; exit 77; }
command -v node >/dev/null || skip "node is not installed"
command -v "$cxx" >/dev/null || skip "$cxx is not installed"
[ -f "$adapter" ] || skip "jco is not installed in $jco (set JCO_DIR)"
component_ld=${WASM_COMPONENT_LD:-}
if [ -z "$component_ld" ] && command -v rustc >/dev/null; then
  component_ld=$(rustc --print sysroot)/lib/rustlib/x86_64-unknown-linux-gnu/bin/wasm-component-ld
fi

flags=(--target=wasm32-wasi -std=c++23 -fno-exceptions -Wall -Wextra -Werror -Wno-unused-parameter)
# Precompiled standard headers (built with the same flags) when given.
if [ -n "${E2E_PCH:-}" ] && [ -f "$E2E_PCH" ]; then flags+=(-include-pch "$E2E_PCH"); fi
rm -rf "$work"
mkdir -p "$work/ld"
cd "$work"

node_args=()
worlds=()
for spec in "$@"; do
  world=${spec%%=*}
  rest=${spec#*=}
  source=${rest%%:*}
  opts=()
  [[ $rest == *:* ]] && IFS=, read -r -a opts <<<"${rest#*:}"
  worlds+=("$world")
  src=$case_dir/$source.cpp
  [ -f "$src" ] || src=$extra/$source.cpp
  mkdir -p "$world"
  "$witc" bindgen cpp "$case_dir/test.wit" -w "$world" --out-dir "$world" "${opts[@]}"
  # Headers the program's author writes for exported resources.
  for d in "$case_dir/cpp" "$extra/cpp"; do
    if [ -d "$d" ]; then cp "$d"/*.h "$world/"; fi
  done
  "$cxx" "${flags[@]}" -c "$world/$world.cpp" -o "$world/bindings.o" -I"$world"
  "$cxx" "${flags[@]}" -c "$src" -o "$world/program.o" -I"$world"
  objs=("$world/program.o" "$world/bindings.o" "$world/${world}_component_type.o")
  # clang-19 refuses -mexec-model=reactor with -c: it is a link option.
  "$cxx" --target=wasm32-wasi -mexec-model=reactor "${objs[@]}" -o "$world/core.wasm"
  "$witc" component new "$world/core.wasm" --adapt "wasi_snapshot_preview1=$adapter" -o "$world.wasm"
  "$witc" validate "$world.wasm" >/dev/null
  "$witc" inspect "$world.wasm" >"$world/witc.wit"
  node_args+=(--same-wit "$world/core.wasm" "$world/witc.wit")
  if [ -x "$component_ld" ]; then
    "$cxx" --target=wasm32-wasi -mexec-model=reactor -fuse-ld="$component_ld" -Wl,--wasi-adapter,reactor \
      "${objs[@]}" -o "ld/$world.wasm"
  fi
done

# compose DIR: DIR/composed.wasm from DIR/WORLD.wasm.
compose() {
  local dir=$1
  if [ "$graph" = - ]; then
    local plugs=()
    for w in "${worlds[@]:1}"; do plugs+=(--plug "$dir/$w.wasm"); done
    "$witc" plug "$dir/${worlds[0]}.wasm" "${plugs[@]}" -o "$dir/composed.wasm"
  else
    cp "$graph" "$dir/graph.json"
    "$witc" compose "$dir/graph.json" -o "$dir/composed.wasm"
  fi
  "$witc" validate "$dir/composed.wasm" >/dev/null
}
compose .
node_args+=(--run composed.wasm)
if [ -x "$component_ld" ]; then
  compose ld
  node_args+=(--run ld/composed.wasm)
else
  echo "wasm-component-ld not found: the interoperation half is skipped"
fi
node "$here/e2e.mjs" "$work" "${node_args[@]}"
