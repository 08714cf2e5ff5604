#!/bin/sh
# The witc demo: what works today, on the WIT witc ships (wit/: the demo
# package plus WASI 0.2.12 in wit/deps/). `./dev demo` builds build/ and runs
# this; BUILD=<dir> picks another build tree.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
witc="$BUILD/bin/witc"

if [ -t 1 ]; then bold=$(printf '\033[1m') green=$(printf '\033[1;32m') off=$(printf '\033[0m')
else bold="" green="" off=""; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$off"; }

if [ ! -x "$witc" ]; then
  echo "demo: $witc not found; run ./dev demo (it builds first)" >&2
  exit 1
fi

step "witc wit check wit/   (parse and resolve the package and its deps)"
"$witc" wit check wit/
echo "ok: no errors"

step "witc wit print wit/   (the root package, printed canonically)"
"$witc" wit print wit/

step "witc wit json wit/    (the resolved graph, summarized)"
json=$(mktemp)
trap 'rm -f "$json"' EXIT
"$witc" wit json wit/ >"$json"
python3 - "$json" <<'EOF'
import json
import sys
from collections import Counter

g = json.load(open(sys.argv[1]))
pkgs, ifaces, worlds, types = g["packages"], g["interfaces"], g["worlds"], g["types"]
print(f"{len(pkgs)} packages, {len(ifaces)} interfaces, {len(worlds)} worlds, "
      f"{len(types)} types (named and anonymous)")
print()
print(f"  {'package':<24} {'interfaces':>10} {'worlds':>7} {'named types':>12} {'functions':>10}")
for p in pkgs:
    owned = [ifaces[i] for i in p["interfaces"].values()]
    n_types = sum(len(i["types"]) for i in owned)
    n_funcs = sum(len(i["functions"]) for i in owned)
    print(f"  {p['name']:<24} {len(p['interfaces']):>10} {len(p['worlds']):>7} {n_types:>12} {n_funcs:>10}")
def kind(t):
    k = next(iter(t["kind"])) if isinstance(t["kind"], dict) else t["kind"]
    return "alias" if k == "type" else k
kinds = Counter(kind(t) for t in types)
print()
print("type kinds: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
root = pkgs[-1]
for name, wid in root["worlds"].items():
    w = worlds[wid]
    print(f"world {root['name']}/{name}: {len(w['imports'])} imports, {len(w['exports'])} exports")
EOF

printf '\n%sdemo: OK%s: witc parsed, resolved, printed and serialized the shipped WIT (wit/).\n' "$green" "$off"
