#!/usr/bin/env python3
"""One case of the wac-graph suite of ../shared/corpus/composition.

    run_graph.py --witc WITC --corpus DIR --case NAME

Runs `witc compose graph.json`. A success case must encode, validate, and
(once `witc inspect` decodes components) print the world of
encoded.expected.wit, compared after whitespace normalisation. A failure case
must exit 1 naming every `quoted` import, export and type of the causes of
error.txt (after the harness's first line, the step, which names the
harness's test case); the output says whether the causes' text is equal.
Cases whose packages are WIT folders or files exit 77 (skipped) until the
composer encodes WIT packages.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

SKIP = 77


def norm(text):
    return re.sub(r"\s+", " ", text).strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--witc", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--case", required=True)
    a = ap.parse_args()
    manifest = json.load(open(os.path.join(a.corpus, "manifest.json")))
    case = next(c for c in manifest["cases"] if c["suite"] == "wac-graph" and c["name"] == a.case)
    cmd = case["command"]
    if any("wasm" not in p["load"] for p in cmd["packages"]):
        print("skipped: the graph registers a WIT package")
        return SKIP
    d = os.path.join(a.corpus, case["dir"])
    exp = case["expected"]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.wasm")
        r = subprocess.run([a.witc, "compose", os.path.join(d, cmd["graph"]), "-o", out],
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
        v = subprocess.run([a.witc, "validate", out], capture_output=True, text=True)
        if v.returncode != 0:
            print(f"the composed component is not valid:\n{v.stderr}")
            return 1
        i = subprocess.run([a.witc, "inspect", out], capture_output=True, text=True)
        if i.returncode != 0:
            print(f"inspect failed:\n{i.stderr}")
            return 1
        want = open(os.path.join(a.corpus, exp["wit"])).read()
        if norm(i.stdout) != norm(want):
            print(f"world differs:\n--- witc\n{i.stdout}\n--- expected\n{want}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
