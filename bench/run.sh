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
