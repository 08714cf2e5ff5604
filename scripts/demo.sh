#!/usr/bin/env bash
# The witc demo: what users come for, end to end. `./dev demo` installs what
# is missing, builds build/ and runs this. Each step prints the commands it
# runs and their key output; any failure stops the demo with an error.
#
#   1. WIT          witc wit check / wit json on the shipped WIT (wit/)
#   2. bindings     examples/notes: WIT -> witc bindgen cpp -> clang++-19 ->
#                   witc component new (preview1 adapter) -> validate, inspect
#   3. composition  examples/notes-app, built the same way, imports what the
#                   notes component exports: witc plug (--explain, --dot ->
#                   SVG by graphviz), validate, inspect, and `jco run`
#   4. runtime      examples/wordcount, a C program (clang-19, wasm32-wasi),
#                   run by `witc run` with a preopened directory, environment
#                   and arguments; a path outside the preopen; a trap
#
# BUILD=<dir> picks another build tree (default build/); the outputs go to
# $BUILD/demo/. jco (steps 2 and 3: the WASI preview1 adapter, `jco run`)
# comes from JCO_DIR (./dev's setup_jco: .cache/jco; else /tmp/jco).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
BUILD=${BUILD:-build}
[ -d "$BUILD" ] || { echo "demo: no build tree $BUILD; run ./dev demo (it builds first)" >&2; exit 1; }
BUILD=$(cd "$BUILD" && pwd)
BUILD=${BUILD#"$root"/}  # shorter commands when the tree is the repository's
witc="$BUILD/bin/witc"
out="$BUILD/demo"
export WITC=$witc  # for the examples' build.sh
if [ -z "${JCO_DIR:-}" ]; then
  JCO_DIR=$root/.cache/jco
  [ -d "$JCO_DIR/node_modules/@bytecodealliance/jco" ] || JCO_DIR=/tmp/jco
fi
export JCO_DIR
jco="$JCO_DIR/node_modules/.bin/jco"
adapter="$JCO_DIR/node_modules/@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm"

if [ -t 1 ]; then
  bold=$(printf '\033[1m') green=$(printf '\033[1;32m') red=$(printf '\033[1;31m') off=$(printf '\033[0m')
else
  bold="" green="" red="" off=""
fi
# step LABEL TITLE: a step begins. passed TEXT: it ended well; TEXT (what
# it showed) goes into the summary at the end, with the step's time.
usec() { local t=${EPOCHREALTIME/[.,]/}; echo "${t#0}"; }
demo_start=$(usec) step_label="" step_start=0 summary=()
seconds_since() { local ms=$((($(usec) - $1) / 1000)); printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100)); }
step() {
  step_label=$1 step_start=$(usec)
  printf '\n%s== %s: %s%s\n' "$bold" "$1" "$2" "$off"
}
passed() { summary+=("$(printf '  %-16s %6s  %s' "$step_label" "$(seconds_since "$step_start")" "$1")"); }
# run CMD...: print the command (on the demo's own output, even when the
# command's goes to a file), then run it.
exec 3>&1
run() { printf '$ %s\n' "$*" >&3; "$@"; }
fail() {
  printf 'demo: %s\n' "$*" >&2
  exit 1
}
trap 'rc=$?; [ $rc -eq 0 ] || printf "%sdemo: FAILED%s (exit status %s; the failed step is the last one above)\n" "$red" "$off" "$rc" >&2' EXIT
# expect FILE TEXT: the output FILE must contain the line fragment TEXT.
expect() { grep -qF -- "$2" "$1" || fail "expected \"$2\" in the output of the step above ($1)"; }

[ -x "$witc" ] || fail "$witc not found; run ./dev demo (it builds first)"
[ -x "$jco" ] && [ -f "$adapter" ] || fail "jco is not installed in $JCO_DIR; run ./dev demo (it installs it) or set JCO_DIR"
for tool in clang-19 clang++-19 node python3; do
  command -v "$tool" >/dev/null || fail "$tool is not installed; run ./dev demo (it installs what is missing)"
done
rm -rf "$out"
mkdir -p "$out"

# ---------------------------------------------------------------------------
step "1. WIT" "resolve the shipped package (wit/demo.wit) and its WASI 0.2.12 deps"
run "$witc" wit check wit/
echo "ok: no errors"
run "$witc" wit json wit/ >"$out/wit.json"
python3 - "$out/wit.json" >"$out/wit-summary.txt" <<'EOF'
import json
import sys

g = json.load(open(sys.argv[1]))
pkgs, ifaces, worlds = g["packages"], g["interfaces"], g["worlds"]
print(f"{len(pkgs)} packages, {len(ifaces)} interfaces, {len(worlds)} worlds, {len(g['types'])} types")
def name(item):
    if "interface" not in item:
        return "(inline)"
    i = ifaces[item["interface"]["id"]]
    p = pkgs[i["package"]]["name"]
    ns_pkg, _, version = p.partition("@")
    return f"{ns_pkg}/{i['name']}" + (f"@{version}" if version else "")
root = pkgs[-1]
for iname, iid in root["interfaces"].items():
    i = ifaces[iid]
    print(f"  interface {root['name']}/{iname}: {len(i['types'])} types, {len(i['functions'])} functions")
for wname, wid in root["worlds"].items():
    w = worlds[wid]
    own = [name(x) for x in w["imports"].values() if not name(x).startswith("wasi:")]
    print(f"  world {wname}: {len(w['imports'])} imports"
          + (f" (of them {', '.join(own)})" if own else "")
          + f", exports {', '.join(name(x) for x in w['exports'].values())}")
EOF
cat "$out/wit-summary.txt"
expect "$out/wit-summary.txt" "world notes-app: 28 imports (of them witc:demo/notes@0.1.0), exports wasi:cli/run@0.2.12"
passed "wit/ resolved: $(head -1 "$out/wit-summary.txt")"

# ---------------------------------------------------------------------------
step "2. Bindings" "WIT -> C++ -> component: the C++ example examples/notes (world notes-cli)"
examples/notes/build.sh "$out/notes" | tee "$out/notes.log"
expect "$out/notes.log" "export witc:demo/notes@0.1.0;"
passed "notes.wasm ($(wc -c <"$out/notes/notes.wasm") bytes) built from WIT + C++: valid, exports witc:demo/notes"

# ---------------------------------------------------------------------------
step "3. Composition" "examples/notes-app imports the notebooks that notes exports"
examples/notes-app/build.sh "$out/notes-app" | tee "$out/notes-app.log"
expect "$out/notes-app.log" "import witc:demo/notes@0.1.0;"
app="$out/notes-app/notes-app.wasm" notes="$out/notes/notes.wasm" composed="$out/composed.wasm"
echo
run "$witc" plug "$app" --plug "$notes" --explain | tee "$out/explain.txt"
# The line that says notes.wasm's export fills notes-app.wasm's import.
grep -F "import \`witc:demo/notes@0.1.0\`" "$out/explain.txt" | grep -F "export \`witc:demo/notes@0.1.0\`" |
  grep -F "notes.wasm" >/dev/null || fail "--explain does not say that notes.wasm's export fills the import witc:demo/notes"
# The composition as a Graphviz graph (`--dot`, from the composer's
# explanations work): on as soon as this witc's `plug` has the option.
dot_args=()
if "$witc" plug --help | grep -- '--dot' >/dev/null; then dot_args=(--dot "$out/composed.dot"); fi
echo
run "$witc" plug "$app" --plug "$notes" "${dot_args[@]}" -o "$composed"
echo "$composed: $(wc -c <"$composed") bytes"
if [ ${#dot_args[@]} -gt 0 ]; then
  command -v dot >/dev/null || fail "dot is not installed (Debian package graphviz; ./dev demo installs it)"
  echo
  expect "$out/composed.dot" '"witc:demo/notes@0.1.0"'
  run dot -Tsvg "$out/composed.dot" -o "$out/composed.svg"
  expect "$out/composed.svg" "<svg"
  echo "the composition drawn: $out/composed.svg ($(wc -c <"$out/composed.svg") bytes)"
else
  echo "(this witc's plug has no --dot yet: the graph and its SVG are skipped)"
fi
echo
run "$witc" validate "$composed"
echo "ok: valid"
echo
run "$witc" inspect "$composed" | tee "$out/composed.wit"
expect "$out/composed.wit" "export wasi:cli/run@0.2.12;"
! grep -q "witc:demo/notes" "$out/composed.wit" || fail "the composed component still imports witc:demo/notes"
echo
run "$jco" run "$composed" | tee "$out/run.txt"
expect "$out/run.txt" "get todo      -> \"write the demo\" {pinned}"
expect "$out/run.txt" "put huge      2000 bytes {archived} -> error too-large(2000)"
expect "$out/run.txt" "entries (by key): idea=27 shopping=4 todo=14"
expect "$out/run.txt" "entries (home, by key): shopping=4"
passed "notes-app.wasm + notes.wasm -> composed.wasm ($(wc -c <"$composed") bytes)${dot_args[*]:+ + composed.svg}: valid, runs under jco"

# ---------------------------------------------------------------------------
step "4. Runtime" "a C program (examples/wordcount) on witc run"
wc_wasm="$out/wc.wasm"
run clang-19 --target=wasm32-wasi -O2 -Wall -Wextra -Werror -Wl,--strip-debug examples/wordcount/wc.c -o "$wc_wasm"
echo
files=(demo.wit deps/wasi-cli/package.wit deps/wasi-io/package.wit)
guest=()
for f in "${files[@]}"; do guest+=("/wit/$f"); done
run "$witc" run --dir wit::/wit --env WC_TOP=4 "$wc_wasm" -- "${guest[@]}" | tee "$out/wc.txt"
# Lines and bytes as the host's wc counts them.
for f in "${files[@]}"; do
  grep -qE "^ *$(wc -l <"wit/$f") +[0-9]+ +$(wc -c <"wit/$f") /wit/$f\$" "$out/wc.txt" ||
    fail "witc run: the counts of /wit/$f differ from the host's wc"
done
# WC_TOP=4 (the environment) asks for four words.
grep -qE '^most frequent of [0-9]+ distinct words:( [a-z0-9]+ \([0-9]+, [0-9]+%\)){4}$' "$out/wc.txt" ||
  fail "witc run: expected the four most frequent words (WC_TOP=4)"
echo
echo "A path outside the preopened directory is refused (the program reports it, exit status 1):"
set +e
run "$witc" run --dir wit::/wit "$wc_wasm" /wit/../README.md 2>&1 | tee "$out/escape.txt"
status=${PIPESTATUS[0]}
set -e
echo "exit status: $status"
[ "$status" -eq 1 ] || fail "expected exit status 1, got $status"
expect "$out/escape.txt" "wc: /wit/../README.md: Capabilities insufficient"
echo
echo "One export called by --invoke; then the same export trapping (integer divide by zero):"
run "$witc" run --invoke percent "$wc_wasm" 1 4 | tee "$out/invoke.txt"
[ "$(cat "$out/invoke.txt")" = 25 ] || fail "percent 1 4: expected 25"
set +e
run "$witc" run --invoke percent "$wc_wasm" 1 0 2>&1 | tee "$out/trap.txt"
status=${PIPESTATUS[0]}
set -e
echo "exit status: $status"
[ "$status" -ne 0 ] || fail "the trap did not fail the run"
expect "$out/trap.txt" "wasm trap: integer divide by zero"
passed "wc.wasm under witc run: counts = the host's wc (${#files[@]} files); ../ refused; trap -> exit $status"

printf '\n%sSummary%s\n' "$bold" "$off"
printf '%s\n' "${summary[@]}"
printf '  %-16s %6s\n' "total" "$(seconds_since "$demo_start")"
printf '\n%sdemo: OK%s: WIT resolved; two C++ components built from it (bindgen, clang++-19, component new),\n' "$green" "$off"
printf 'plugged into one that validates and runs under jco; a C program run, sandboxed and trapping, by witc run.\n'
printf 'Outputs in %s/.\n' "$out"
