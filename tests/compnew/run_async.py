#!/usr/bin/env python3
"""`witc component new` against `jco new` on modules built for async worlds.

  run_async.py program --witc BIN --canon BIN --source PROGRAM.cpp --out DIR [--pch PCH] [--jco-dir DIR]
  run_async.py module  --witc BIN --canon BIN --source FILE.cpp --wit FILE.wit --world W --out DIR [--jco-dir DIR]

`program`: a program of tests/bindgen/programs (its `//@` lines say how),
compiled and linked into a reactor module by run_bindgen.py, which also
makes the reference component with `jco new` (and the preview1 reactor
adapter).

`module`: a C++ file that imports the canonical built-ins by hand
(`__attribute__((import_module, import_name))`), compiled and linked as a
reactor without libc's start files being needed, its world embedded with
`witc component embed`; the reference is `jco new` of that same module.

Then, for both: `witc component new` (with the same adapter when the module
imports wasi_snapshot_preview1) must succeed, `witc validate --features
cm-all` must accept the result, `witc inspect` of it must print exactly what
`jco wit` prints for jco's component, and the canonical definitions of both
(compnew-canon, sorted) must be the same.

Exit status: 0 pass, 1 fail, 2 usage, 77 skipped (no jco or Node).
"""
import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "bindgen"))
import run_bindgen  # noqa: E402

JCO_SCRIPT = str(HERE.parent / "fixtures" / "jco.mjs")
ADAPTER = "node_modules/@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm"


def run(argv, cwd=None, env=None):
    p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


def jco_dir(a):
    jco = Path(a.jco_dir or os.environ.get("JCO_DIR", "/tmp/jco"))
    if shutil.which("node") is None or not (jco / "node_modules/@bytecodealliance/jco-transpile").is_dir():
        return None
    return jco


def imports_preview1(witc, module):
    rc, out, _ = run([witc, "inspect", str(module)])
    return rc == 0 and "wasi_snapshot_preview1::" in out


def compare(a, out, jco, reference):
    """witc component new of out/module.wasm against the jco component `reference`."""
    witc = a.witc
    argv = [witc, "component", "new", "module.wasm", "-o", "witc.wasm"]
    if imports_preview1(witc, out / "module.wasm"):
        argv += ["--adapt", f"wasi_snapshot_preview1={jco / ADAPTER}"]
    rc, _, err = run(argv, cwd=out)
    if rc != 0:
        print(f"FAIL witc component new:\n{err}")
        return 1
    rc, _, err = run([witc, "validate", "--features", "cm-all", "witc.wasm"], cwd=out)
    if rc != 0:
        print(f"FAIL witc validate of witc's component:\n{err}")
        return 1
    env = dict(os.environ, JCO_DIR=str(jco))
    rc, want, err = run(["node", JCO_SCRIPT, "wit", reference], cwd=out, env=env)
    if rc != 0:
        print(f"FAIL jco wit of jco's component:\n{err}")
        return 1
    rc, got, err = run([witc, "inspect", "witc.wasm"], cwd=out)
    if rc != 0:
        print(f"FAIL witc inspect:\n{err}")
        return 1
    (out / "jco.wit").write_text(want)
    (out / "witc.wit").write_text(got)
    failed = 0
    if got != want:
        _, diff, _ = run(["diff", "-u", "jco.wit", "witc.wit"], cwd=out)
        print(f"FAIL the WIT differs from jco's:\n{diff[:6000]}")
        failed += 1
    canons = {}
    for name, file in (("jco", reference), ("witc", "witc.wasm")):
        rc, text, err = run([a.canon, file], cwd=out)
        if rc != 0:
            print(f"FAIL compnew-canon {file}:\n{err}")
            return 1
        canons[name] = sorted(text.splitlines())
        (out / f"{name}.canon").write_text("\n".join(canons[name]) + "\n")
    if canons["jco"] != canons["witc"]:
        _, diff, _ = run(["diff", "-u", "jco.canon", "witc.canon"], cwd=out)
        print(f"FAIL the canonical definitions differ from jco's:\n{diff[:8000]}")
        failed += 1
    if failed:
        return 1
    kinds = sorted({line.split(" ", 1)[0] for line in canons["witc"]})
    print(f"ok witc component new: valid, same WIT as jco, same {len(canons['witc'])} canonical definitions "
          f"({', '.join(kinds)})")
    return 0


def cmd_program(a):
    out = Path(a.out)
    ns = argparse.Namespace(witc=a.witc, source=a.source, out=a.out, pch=a.pch, jco_dir=a.jco_dir)
    rc = run_bindgen.cmd_program(ns)
    if rc != 0:
        return rc  # 77 without jco: there is nothing to compare with
    jco = jco_dir(a)
    if jco is None:
        print("skipped: jco not found (JCO_DIR)")
        return 77
    return compare(a, out, jco, "component.wasm")


CXX = ["clang++-19", "--target=wasm32-wasi", "-std=c++23", "-fno-exceptions", "-O1", "-Wall", "-Wextra", "-Werror",
       "-mexec-model=reactor"]


def cmd_module(a):
    out = Path(a.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    rc, _, err = run(CXX + [str(Path(a.source).resolve()), "-o", "core.wasm"], cwd=out)
    if rc != 0:
        print(f"FAIL compiling {a.source}:\n{err[:6000]}")
        return 1
    rc, _, err = run([a.witc, "component", "embed", str(Path(a.wit).resolve()), "core.wasm", "-w", a.world,
                      "-o", "module.wasm"], cwd=out)
    if rc != 0:
        print(f"FAIL witc component embed:\n{err}")
        return 1
    jco = jco_dir(a)
    if jco is None:
        print("skipped: jco not found (JCO_DIR)")
        return 77
    env = dict(os.environ, JCO_DIR=str(jco))
    adapter = "reactor" if imports_preview1(a.witc, out / "module.wasm") else "none"
    rc, log, err = run(["node", JCO_SCRIPT, "new", "module.wasm", adapter, "component.wasm"], cwd=out, env=env)
    if rc != 0:
        print(f"FAIL jco new:\n{(log + err)[:6000]}")
        return 1
    return compare(a, out, jco, "component.wasm")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("program", "module"):
        p = sub.add_parser(name)
        p.add_argument("--witc", required=True)
        p.add_argument("--canon", required=True)
        p.add_argument("--source", required=True)
        p.add_argument("--out", required=True)
        p.add_argument("--jco-dir")
        if name == "program":
            p.add_argument("--pch")
        else:
            p.add_argument("--wit", required=True)
            p.add_argument("--world", required=True)
    a = ap.parse_args()
    return {"program": cmd_program, "module": cmd_module}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
