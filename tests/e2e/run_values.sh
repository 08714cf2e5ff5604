#!/usr/bin/env bash
# Values cross intact, nothing leaks (issue 6): the C++ guest of
# values/values.wit (every kind of value, resources owned and borrowed both
# ways, 17 parameters, 32 flags) built with witc and clang++-19, then driven
# from JavaScript under jco for ROUNDS rounds (values/values.mjs): the host
# checks every value the guest returns or sends, the guest asserts every
# value the host returns, and the guest's linear memory must not grow.
#
# Usage: run_values.sh WITC WORKDIR [ROUNDS]   (default 10000)
# Environment: see lib.sh. Exit 77 (skipped) without jco, Node or clang++-19.
set -euo pipefail
witc=$1 work=$2 rounds=${3:-10000}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
e2e_require
rm -rf "$work"
mkdir -p "$work"
build_component "$witc" "$here/values/values.wit" values "$here/values/guest.cpp" "$work/values" "$here/values/cpp"
node "$here/values/values.mjs" "$work/values.wasm" "$work" "$rounds"
