#!/usr/bin/env python3
"""One case of the wasm-compose suite of ../shared/corpus/composition.

    run_wasm_compose.py --witc WITC --corpus DIR --case NAME

The case folder is copied to a temporary folder; in its config.yml the paths
that name `.wat` files name the `.wasm` siblings instead (the corpus converted
every WAT input). Then `witc compose root.wasm [-c config.yml] -o OUT` runs.

A success case must compose, validate (`witc validate`), and print with
`witc inspect` the world of composed.expected.wit (whitespace-normalised);
resources-and-aliases has no .wit (wit-component panics printing it), so its
world is compared with what `witc inspect` prints for composed.expected.wasm.

A failure case must exit 1 with an error naming every `quoted` item of
error.txt, after the paths in our message are mapped to the harness's (the
temporary case folder becomes tests/compositions/CASE, and X.wasm becomes
X.wat unless the corpus has X.wasm and no X.wat). The output also says whether
the message equals the reference's: our first line is "error: " and the
reference's chain joined with ": " (where the reference writes an I/O error as
"platform-specific error", any operating-system text is accepted).
Cases that need a WAT parser exit 77 (skipped), and so do the cases listed in
wasm-compose.known while they fail (a listed case that passes fails: the list
must be kept honest).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def norm(text):
    return re.sub(r"\s+", " ", text).strip()


def known_failures():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wasm-compose.known")
    known = {}
    for line in open(path):
        if line.strip() and not line.startswith("#"):
            name, reason = line.split(":", 1)
            known[name.strip()] = reason.strip()
    return known


def main():
    rc = run()
    known = known_failures()
    case = sys.argv[sys.argv.index("--case") + 1]
    if case in known:
        if rc == 0:
            print(f"{case} passes now: remove it from wasm-compose.known")
            return 1
        if rc == 1:
            print(f"known failure: {known[case]}")
            return SKIP
    return rc


def run():
    ap = argparse.ArgumentParser()
    ap.add_argument("--witc", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--case", required=True)
    a = ap.parse_args()
    manifest = json.load(open(os.path.join(a.corpus, "manifest.json")))
    case = next(c for c in manifest["cases"] if c["suite"] == "wasm-compose" and c["name"] == a.case)
    if case.get("needs_text_parser"):
        print("skipped: the case reads a WAT file that has no binary")
        return SKIP
    src = os.path.join(a.corpus, case["dir"])
    exp = case["expected"]
    with tempfile.TemporaryDirectory() as tmp:
        d = os.path.join(tmp, a.case)
        shutil.copytree(src, d)
        args = [a.witc, "compose", os.path.join(d, "root.wasm")]
        cfg = os.path.join(d, "config.yml")
        if os.path.exists(cfg):
            text = open(cfg).read()
            open(cfg, "w").write(re.sub(r"\.wat\b", ".wasm", text))
            args += ["-c", cfg]
        out = os.path.join(tmp, "out.wasm")
        r = subprocess.run(args + ["-o", out], capture_output=True, text=True, timeout=60)

        if exp["kind"] == "error":
            if r.returncode != 1:
                print(f"expected exit 1, got {r.returncode}\n{r.stderr}")
                return 1

            def upstream_path(m):
                path = m.group(1)
                if path.startswith(d + "/"):
                    rel = path[len(d) + 1:]
                    stem, ext = os.path.splitext(rel)
                    has = lambda e: os.path.exists(os.path.join(src, stem + e))
                    if ext == ".wasm" and not (has(".wasm") and not has(".wat")):
                        rel = stem + ".wat"
                    path = case["harness_path"] + "/" + rel
                return "`" + path + "`"

            ours = re.sub(r"`([^`]*)`", upstream_path, r.stderr)
            names = set(re.findall(r"`([^`]*)`", exp["message"]))
            missing = sorted(n for n in names if f"`{n}`" not in ours)
            if missing:
                print(f"the error does not name {missing!r}:\n{ours}")
                return 1
            chain = exp["chain"]
            first = ours.split("\n", 1)[0]
            if chain[-1] == "platform-specific error":
                prefix = "error: " + ": ".join(chain[:-1]) + ": "
                equal = first.startswith(prefix) and len(first) > len(prefix)
            else:
                equal = ours.startswith("error: " + ": ".join(chain) + "\n")
            print(f"message equal to the reference's: {'yes' if equal else 'no'}")
            if not equal:
                print(f"--- witc (paths mapped)\n{ours}--- reference\n{exp['message']}")
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
        if exp.get("wit"):
            want = open(os.path.join(a.corpus, exp["wit"])).read()
        else:
            w = subprocess.run([a.witc, "inspect", os.path.join(a.corpus, exp["wasm"])], capture_output=True,
                               text=True)
            if w.returncode != 0:
                print(f"inspect of the expected component failed:\n{w.stderr}")
                return 1
            want = w.stdout
            print("compared with `witc inspect` of the expected component (no .wit)")
        if norm(i.stdout) != norm(want):
            print(f"world differs:\n--- witc\n{i.stdout}\n--- expected\n{want}")
            return 1
        print(i.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
