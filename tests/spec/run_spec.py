#!/usr/bin/env python3
"""Runs one spec-test script (.wast) through `witc wast` and checks the result
against the reviewed list of known failures (known-failures.txt).

  run_spec.py run --witc W --wast X.wast --out DIR --known LIST
              [--features F] [--wast2json P] [--wast2json-flag FLAG]... [--wasm-validate P]
  run_spec.py check-list --known LIST --corpus DIR

`run` converts X.wast with wast2json into DIR/X/ (again only when the .wast is
newer), runs `witc wast --round-trip`, and with --wasm-validate also compares
`witc validate` with wabt's wasm-validate on every module. The test passes iff
the failures are exactly the entries listed for this file: a new failure is a
regression, a listed one that passes must be removed from the list.

List entries, one per line ('#' starts a comment):
  X.wast:LINE   reason      a command of X.wast that `witc wast` fails
  xcheck X.N.wasm reason    a module on which witc and wasm-validate disagree
"""
import argparse
import os
import re
import shutil
import subprocess
import sys


def read_list(path):
    entries = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split(None, 2)
            if parts[0] == "xcheck":
                if len(parts) < 3:
                    sys.exit(f"{path}:{n}: an xcheck entry needs a file and a reason")
                entries[("xcheck", parts[1])] = parts[2]
            else:
                if len(parts) < 2 or not re.fullmatch(r"[\w.-]+\.wast:\d+", parts[0]):
                    sys.exit(f"{path}:{n}: expected 'NAME.wast:LINE reason'")
                entries[("wast", parts[0])] = " ".join(parts[1:])
    return entries


def convert(args, name, outdir):
    json_path = os.path.join(outdir, name + ".json")
    if os.path.exists(json_path) and os.path.getmtime(json_path) >= os.path.getmtime(args.wast):
        return json_path
    shutil.rmtree(outdir, ignore_errors=True)
    os.makedirs(outdir)
    r = subprocess.run([args.wast2json, *args.wast2json_flag, args.wast, "-o", json_path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"wast2json failed on {args.wast}:\n{r.stderr}")
    return json_path


def run(args):
    name = os.path.splitext(os.path.basename(args.wast))[0]
    outdir = os.path.join(args.out, name)
    json_path = convert(args, name, outdir)
    cmd = [args.witc, "wast", "--round-trip", os.path.basename(json_path)]
    if args.features:
        cmd += ["--features", args.features]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=outdir)
    lines = r.stdout.splitlines()
    summary = lines[-1] if lines else ""
    if not re.fullmatch(r"\d+ passed, \d+ failed, \d+ skipped", summary) or r.returncode not in (0, 1):
        sys.exit(f"witc wast crashed or printed no summary (exit {r.returncode}):\n{r.stdout}\n{r.stderr}")
    print(f"{name}.wast: {summary}")
    failures = {}
    for line in lines:
        m = re.match(r"FAIL [^:]+:(\d+) (.*)$", line)
        if m:
            failures[("wast", f"{name}.wast:{m.group(1)}")] = m.group(2)

    if args.wasm_validate:
        # wasm-validate takes one file; witc validates them all in one process
        # and prints a `FILE: valid|invalid` line for each (--verdicts: even
        # when there is only one).
        features = ["--features", args.features] if args.features else []
        wasms = sorted(f for f in os.listdir(outdir) if f.endswith(".wasm"))
        verdicts, errors = {}, {}
        if wasms:
            v = subprocess.run([args.witc, "validate", "--verdicts", *features, *wasms], capture_output=True, text=True,
                               cwd=outdir)
            for line in v.stdout.splitlines():
                f, _, verdict = line.rpartition(": ")
                verdicts[f] = verdict
            for line in v.stderr.splitlines():
                f, sep, message = line.partition(": ")
                if sep and f in verdicts:
                    errors[f] = message
            if v.returncode not in (0, 1) or len(verdicts) != len(wasms):
                sys.exit(f"witc validate exited {v.returncode} after {len(verdicts)} of {len(wasms)} "
                         f"files:\n{v.stderr}")
        for f in wasms:
            wabt = subprocess.run([args.wasm_validate, os.path.join(outdir, f)], capture_output=True).returncode == 0
            if wabt != (verdicts[f] == "valid"):
                verdict = "valid" if wabt else "invalid"
                failures[("xcheck", f)] = f"wasm-validate says {verdict}; witc: {errors.get(f) or 'valid'}"

    # Without --wasm-validate (sanitizer builds) the cross-check does not run,
    # so its listed disagreements are not expected either.
    known = {k: v for k, v in read_list(args.known).items()
             if (k[0] == "wast" and k[1].startswith(name + ".wast:")) or
                (k[0] == "xcheck" and k[1].startswith(name + ".") and args.wasm_validate)}
    ok = True
    for k in sorted(set(failures) - set(known)):
        print(f"NEW FAILURE {' '.join(k)}: {failures[k]}")
        ok = False
    for k in sorted(set(known) - set(failures)):
        print(f"NOW PASSES (remove it from {os.path.basename(args.known)}): {' '.join(k)}")
        ok = False
    for k in sorted(set(known) & set(failures)):
        print(f"known failure {' '.join(k)}: {known[k]}")
    return 0 if ok else 1


def check_list(args):
    entries = read_list(args.known)
    names = {os.path.splitext(f)[0] for f in os.listdir(args.corpus) if f.endswith(".wast")}
    bad = [k for k in entries if (k[1].split(".wast:")[0] if k[0] == "wast" else k[1].split(".")[0]) not in names]
    for k in bad:
        print(f"{args.known}: entry for a file that is not in the corpus: {' '.join(k)}")
    print(f"{len(entries)} entries")
    return 1 if bad else 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--witc", required=True)
    r.add_argument("--wast", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--known", required=True)
    r.add_argument("--features", default="")
    r.add_argument("--wast2json", default="wast2json")
    r.add_argument("--wast2json-flag", action="append", default=[])
    r.add_argument("--wasm-validate", default="")
    c = sub.add_parser("check-list")
    c.add_argument("--known", required=True)
    c.add_argument("--corpus", required=True)
    args = p.parse_args()
    return run(args) if args.cmd == "run" else check_list(args)


if __name__ == "__main__":
    sys.exit(main())
