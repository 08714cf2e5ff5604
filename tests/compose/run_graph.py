#!/usr/bin/env python3
"""One case of the wac-graph suite of ../shared/corpus/composition.

    run_graph.py --witc WITC --corpus DIR --case NAME

Runs `witc compose graph.json --import-dependencies` (the harness encodes
with `define_components: false`). A success case must encode, validate, and
print the world of encoded.expected.wit (`witc inspect`, what `jco wit`
prints), compared after whitespace normalisation; when every package is a
component binary the same must hold with the packages embedded (no
--import-dependencies). A failure case must exit 1 naming every `quoted`
import, export and type of the causes of error.txt (after the harness's first
line, the step, which names the harness's test case); the output says
whether the causes' text is equal.

Cases listed in wac-graph.known (beside this script) are deliberate,
reviewed differences: such a case passes while witc's outcome differs from
the reference and fails once it matches (then unlist it).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

def norm(text):
    return re.sub(r"\s+", " ", text).strip()


def known_differences():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wac-graph.known")
    out = {}
    for line in open(path):
        if line.strip() and not line.startswith("#"):
            name, reason = line.rstrip("\n").split("\t", 1)
            out[name] = reason
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--witc", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--case", required=True)
    a = ap.parse_args()
    known = known_differences()
    rc = run_case(a)
    if a.case in known:
        if rc == 0:
            print(f"{a.case} is listed in wac-graph.known but now matches the reference: unlist it")
            return 1
        print(f"known difference: {known[a.case]}")
        return 0
    return rc


def run_case(a):
    manifest = json.load(open(os.path.join(a.corpus, "manifest.json")))
    case = next(c for c in manifest["cases"] if c["suite"] == "wac-graph" and c["name"] == a.case)
    cmd = case["command"]
    binaries_only = all("wasm" in p["load"] for p in cmd["packages"])
    d = os.path.join(a.corpus, case["dir"])
    exp = case["expected"]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.wasm")
        graph = os.path.join(d, cmd["graph"])
        r = subprocess.run([a.witc, "compose", graph, "--import-dependencies", "-o", out],
                           capture_output=True, text=True, timeout=60)
        if exp["kind"] == "error":
            if r.returncode != 1:
                print(f"expected exit 1, got {r.returncode}\n{r.stderr}")
                return 1
            # Pass: the error names the same imports, exports and types (every
            # `quoted` name of the reference's causes). Also reported: whether
            # the causes' text is the reference's exactly.
            causes = exp["chain"][1:]
            names = {n for c in causes for n in re.findall(r"`([^`]*)`", c)}
            missing = sorted(n for n in names if f"`{n}`" not in r.stderr)
            if missing:
                print(f"the error does not name {missing!r}:\n{r.stderr}")
                return 1
            equal = all(c in r.stderr for c in causes)
            print(f"message equal to the reference's: {'yes' if equal else 'no'}")
            return 0
        if r.returncode != 0:
            print(f"compose failed ({r.returncode}):\n{r.stderr}")
            return 1
        want = open(os.path.join(a.corpus, exp["wit"])).read()
        if not check_world(a.witc, out, want):
            return 1
        if binaries_only:
            r = subprocess.run([a.witc, "compose", graph, "-o", out], capture_output=True, text=True, timeout=60)
            if r.returncode != 0:
                print(f"compose with the packages embedded failed ({r.returncode}):\n{r.stderr}")
                return 1
            if not check_world(a.witc, out, want):
                return 1
    return 0


def check_world(witc, out, want):
    """The component validates and its world is `want`."""
    v = subprocess.run([witc, "validate", out], capture_output=True, text=True)
    if v.returncode != 0:
        print(f"the composed component is not valid:\n{v.stderr}")
        return False
    i = subprocess.run([witc, "inspect", out], capture_output=True, text=True)
    if i.returncode != 0:
        print(f"inspect failed:\n{i.stderr}")
        return False
    if norm(i.stdout) != norm(want):
        print(f"world differs:\n--- witc\n{i.stdout}\n--- expected\n{want}")
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
