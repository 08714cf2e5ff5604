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
# witc's has (`witc inspect` = `jco wit`), `jco transpile` accepts each of
# witc's components, and the programs linked by
# wasm-component-ld (the reference's component linker, with witc's
# <world>_component_type.o) compose and run the same way.
#
# Usage: run_case.sh WITC WORKDIR CASEDIR EXTRADIR GRAPH WORLD=SOURCE[:ARGS]...
#   CASEDIR   the corpus case (test.wit, programs, cpp/ headers)
#   EXTRADIR  witc's own programs and headers for the case ("-": none)
#   GRAPH     a WAC document (FILE.wac) whose packages are test:WORLD, each
#             WORLD.wasm; or a composition graph (compose-graph-json.md) whose
#             package paths are WORLD.wasm; or "-": plug the others into the
#             first WORLD
#   WORLD=SOURCE[:ARGS]  a component: world, program (without .cpp, found in
#             CASEDIR or EXTRADIR), bindgen options separated by commas
# Environment: see lib.sh. Exit 77 (skipped) when jco, Node or clang++-19 is
# missing.
set -euo pipefail
witc=$1 work=$2 case_dir=$3 extra=$4 graph=$5
shift 5
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
e2e_require
component_ld=${WASM_COMPONENT_LD:-}
if [ -z "$component_ld" ] && command -v rustc >/dev/null; then
  component_ld=$(rustc --print sysroot)/lib/rustlib/x86_64-unknown-linux-gnu/bin/wasm-component-ld
fi

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
  build_component "$witc" "$case_dir/test.wit" "$world" "$src" "$world" "$case_dir/cpp" "$extra/cpp" -- "${opts[@]}"
  "$witc" inspect "$world.wasm" >"$world/witc.wit"
  node_args+=(--same-wit "$world/core.wasm" "$world/witc.wit" --transpile "$world.wasm")
  if [ -x "$component_ld" ]; then
    "$cxx" --target=wasm32-wasi -mexec-model=reactor -fuse-ld="$component_ld" -Wl,--wasi-adapter,reactor \
      "$world/program.o" "$world/bindings.o" "$world/${world}_component_type.o" -o "ld/$world.wasm"
  fi
done

# compose DIR: DIR/composed.wasm from DIR/WORLD.wasm.
compose() {
  local dir=$1
  if [ "$graph" = - ]; then
    local plugs=()
    for w in "${worlds[@]:1}"; do plugs+=(--plug "$dir/$w.wasm"); done
    "$witc" plug "$dir/${worlds[0]}.wasm" "${plugs[@]}" -o "$dir/composed.wasm"
  elif [[ $graph == *.wac ]]; then
    local deps=()
    for w in "${worlds[@]}"; do deps+=(-d "test:$w=$dir/$w.wasm"); done
    "$witc" compose "$graph" "${deps[@]}" -o "$dir/composed.wasm"
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
