#!/usr/bin/env bash
# The C++ example examples/notes end to end: its build.sh (witc bindgen cpp,
# clang++-19, witc component new with the preview1 reactor adapter, witc
# validate, witc inspect), then the same WIT as `jco new` of the same core
# module, and its `wasi:cli/run` export run under jco and Node.
#
# Usage: run_example.sh WITC WORKDIR. Exit 77 (skipped) without jco, Node or
# clang++-19 (JCO_DIR: where jco is installed, default /tmp/jco).
set -euo pipefail
witc=$1 work=$2
jco=${JCO_DIR:-/tmp/jco}
here=$(cd "$(dirname "$0")" && pwd)
skip() { echo "$1: skipped"; exit 77; }
command -v node >/dev/null || skip "node is not installed"
command -v clang++-19 >/dev/null || skip "clang++-19 is not installed"
[ -f "$jco/node_modules/@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm" ] ||
  skip "jco is not installed in $jco (set JCO_DIR)"
rm -rf "$work"
mkdir -p "$work"
WITC=$witc "$here/../../examples/notes/build.sh" "$work" >"$work.log" 2>&1 || { cat "$work.log"; exit 1; }
"$witc" inspect "$work/notes.wasm" >"$work/witc.wit"
node "$here/e2e.mjs" "$work" --same-wit "$work/notes.core.wasm" "$work/witc.wit" --run "$work/notes.wasm"
