#!/bin/sh
# Runs the benchmarks of an existing build and prints a Markdown table.
# `./dev bench` builds build/ first and then runs this; it builds nothing.
#   BUILD=build-foo bench/run.sh    use another build tree
#   RUNS=100 bench/run.sh           whole-process repetitions (default 50)
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${RUNS:-50}
SHARED=${WITC_SHARED_DIR:-$(cd .. && pwd)/shared}
bench="$BUILD/bin/bench-wit"
witc="$BUILD/bin/witc"
for f in "$bench" "$witc"; do
  if [ ! -x "$f" ]; then
    echo "bench/run.sh: $f not found; run ./dev bench (it builds first)" >&2
    exit 1
  fi
done

model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
cpus=$(nproc)
echo "## witc benchmarks"
echo
echo "Machine: ${model:-unknown CPU}, $cpus CPUs; $(uname -sr); build type: $(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt")."
echo

"$bench" --src . --corpus "$SHARED/corpus/wit-parser-ui"
"$bench" --no-header --process "$RUNS" --target-ms 10 \
  --label "\`witc wit json wit/\`, whole process ($RUNS runs)" -- "$witc" wit json wit/
"$bench" --no-header --process "$RUNS" \
  --label "\`witc wit check wit/\`, whole process ($RUNS runs)" -- "$witc" wit check wit/

if command -v hyperfine >/dev/null 2>&1; then
  echo
  echo "hyperfine:"
  echo
  hyperfine -N --warmup 3 --runs "$RUNS" --style none --export-markdown /dev/stdout \
    "$witc wit json wit/" 2>/dev/null | sed -n '/^|/p'
fi

# Bindings for every world of the WASI 0.2.12 set (issue 6): in process,
# then whole process (`witc bindgen cpp`, files written to a temporary dir).
echo
"$BUILD/bin/bench-bindgen" --src .
out=$(mktemp -d)
for w in wasi:cli/command wasi:cli/imports wasi:clocks/imports wasi:filesystem/imports wasi:http/imports \
         wasi:http/proxy wasi:io/imports wasi:random/imports wasi:sockets/imports; do
  "$bench" --no-header --process "$RUNS" --target-ms 50 \
    --label "\`witc bindgen cpp wit -w $w\`, whole process ($RUNS runs)" -- "$witc" bindgen cpp wit -w "$w" --out-dir "$out"
done
rm -rf "$out"

# Validation throughput on a large clang-built module, beside wabt's
# wasm-validate in the same run (issue 3). The module is generated once into
# the build tree: bench/gen_big_c.py -> clang-19 -O1 --target=wasm32-wasi
# (--export-all keeps every function).
big="$BUILD/bench/big.wasm"
if [ ! -f "$big" ] && command -v clang-19 >/dev/null 2>&1; then
  python3 bench/gen_big_c.py 6000 > "$BUILD/bench/big.c"
  clang-19 --target=wasm32-wasi -O1 -Wl,--export-all -o "$big" "$BUILD/bench/big.c" 2>/dev/null || rm -f "$big"
fi
if [ -f "$big" ]; then
  echo
  echo "| validation | median | min | throughput |"
  echo "|---|---:|---:|---:|"
  "$BUILD/bin/bench-validate" "$big" 20
  "$bench" --no-header --process 10 --label "\`witc validate big.wasm\`, whole process" -- "$witc" validate "$big"
  if command -v wasm-validate >/dev/null 2>&1; then
    "$bench" --no-header --process 10 --label "\`wasm-validate big.wasm\` (wabt), whole process" -- "$(command -v wasm-validate)" "$big"
  fi
fi

# Validation of a multi-megabyte component made by the JS toolchain
# (`componentize-js`, shipped with jco: StarlingMonkey + a small JS module),
# beside wabt's `wasm-validate` on the component's core modules (wabt reads
# no components). Generated once into the build tree; needs jco ($JCO_DIR).
JCO_DIR=${JCO_DIR:-$(pwd)/.cache/jco}
js="$BUILD/bench/js-hello.wasm"
if [ ! -f "$js" ] && [ -x "$JCO_DIR/node_modules/.bin/componentize-js" ]; then
  printf 'export function hello(name) { return `Hello, ${name}!`; }\n' > "$BUILD/bench/hello.js"
  printf 'package bench:js;\nworld hello { export hello: func(name: string) -> string; }\n' > "$BUILD/bench/hello.wit"
  "$JCO_DIR/node_modules/.bin/componentize-js" --wit "$BUILD/bench/hello.wit" -o "$js" "$BUILD/bench/hello.js" \
    >/dev/null 2>&1 || rm -f "$js"
fi
if [ -f "$js" ]; then
  echo
  echo "| component validation | median | min | throughput |"
  echo "|---|---:|---:|---:|"
  "$BUILD/bin/bench-validate" "$js" 10
  "$bench" --no-header --process 10 --label "\`witc validate js-hello.wasm\`, whole process" -- "$witc" validate "$js"
  if command -v wasm-validate >/dev/null 2>&1; then
    cores=$(python3 bench/split_core.py "$js" "$BUILD/bench/js-hello-core" | tr '\n' ' ')
    "$bench" --no-header --process 10 \
      --label "\`wasm-validate\` (wabt) on its $(echo $cores | wc -w) core modules, whole process" \
      -- /bin/sh -c "for f in $cores; do wasm-validate \$f || exit 1; done"
  fi
fi
