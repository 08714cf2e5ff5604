#!/usr/bin/env python3
"""Tests of `witc bindgen cpp`: generated code must compile.

  run_bindgen.py corpus  --witc BIN --input PATH --out DIR [--xfail FILE] [--features ...]
  run_bindgen.py runtime --witc BIN --case DIR --out DIR
  run_bindgen.py golden  --witc BIN --input PATH --world W --expected DIR --out DIR
  run_bindgen.py pch     --witc BIN --out FILE
  run_bindgen.py program --witc BIN --source PROGRAM.cpp --out DIR [--jco-dir DIR]
  run_bindgen.py cli     --witc BIN --rc N --stderr TEXT -- ARGS...

`pch`: precompiles the standard headers wit.h includes (with the flags
below); `corpus` and `runtime` take it with --pch and compile ~10x faster.

`corpus`: for every world of the root package(s) of PATH (the worlds that
`witc wit print PATH` shows), generates the bindings and compiles
`<world>.cpp` with clang++-19 for wasm32-wasi (-std=c++23 -fno-exceptions
-Wall -Wextra -Werror -Wno-unused-parameter -c). Worlds listed in the
expected-failure file (`<input-name>:<world>  # reason`) must fail; a listed
world that compiles is reported so the list stays honest.

`runtime`: a case folder of the wit-bindgen runtime corpus: for each of its
C++ programs, generates the bindings of the world it implements (with the
program's `//@ args`), copies the case's cpp/*.h user headers beside them,
and compiles the bindings and the program unmodified.

`golden`: generates one world and compares every file but the
component-type object with DIR (rewritten with WITC_BLESS=1).

`program`: a C++ program of our own against bindings generated with
options (tests/bindgen/programs). Lines at the top of the source say how:
  //@ wit = ../wit/FILE.wit           the WIT input (relative to the source)
  //@ world = NAME [witc options]     generate and compile this world (in
                                      order; several share the output dir)
  //@ expect = TEXT                   a generated header must contain TEXT
  //@ expect-formatted = TEXT         the same, when clang-format is installed
  //@ also = FILE.cpp                 another source to compile and link
  //@ import = MODULE::NAME           the linked module must import it
  //@ exec                            link a command module instead and run it
                                      under Node's WASI (mock/run_wasi.mjs):
                                      it must exit 0 (no jco step)
The bindings and the program are compiled (flags below), linked into a
reactor module (-mexec-model=reactor) and, when jco is installed (JCO_DIR,
default /tmp/jco; node on PATH), made a component with `jco new` and the
preview1 reactor adapter, which `witc validate --features cm-all` must
accept. Without jco the test reports itself skipped (exit 77) after
linking.

`cli`: `witc bindgen cpp ARGS...` must exit with N and print TEXT on stderr
(rejected options and --with keys).

Exit status: 0 pass, 1 fail, 2 usage, 77 skipped (program without jco).
"""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

CXX = ["clang++-19", "--target=wasm32-wasi", "-std=c++23", "-fno-exceptions", "-Wall", "-Wextra",
       "-Werror", "-Wno-unused-parameter"]


def cxx(a):
    return CXX + (["-include-pch", a.pch] if getattr(a, "pch", None) else [])


def run(argv, cwd=None):
    p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def root_worlds(witc, path, extra):
    """(package, world) of every world printed by `witc wit print`."""
    rc, out = run([witc, "wit", "print", path] + extra)
    if rc != 0:
        return None, out
    worlds, pkg = [], None
    for line in out.splitlines():
        m = re.match(r"^\s*package\s+([^\s;{]+)", line)
        if m:
            pkg = m.group(1).replace("%", "")
            continue
        m = re.match(r"^\s*world\s+(\S+)\s*\{", line)
        if m and pkg:
            worlds.append((pkg, m.group(1).replace("%", "")))
    return worlds, ""


def load_xfail(path, name):
    out = {}
    if not path or not Path(path).exists():
        return out
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        inp, _, world = line.partition(":")
        if inp == name:
            out[world.strip()] = True
    return out


def generate(witc, path, world, out, extra):
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    return run([witc, "bindgen", "cpp", path, "-w", world, "--out-dir", str(out)] + extra)


def cmd_corpus(a):
    extra = ["--features", a.features] if a.features else []
    if a.all_features:
        extra.append("--all-features")
    worlds, err = root_worlds(a.witc, a.input, extra)
    if worlds is None:
        print(f"skipped: the front end does not resolve {a.input}:\n{err}")
        return 0
    name = Path(a.input).name
    xfail = load_xfail(a.xfail, name)
    failed = 0
    for pkg, world in worlds:
        out = Path(a.out) / name / f"{pkg.replace(':', '_').replace('@', '_')}_{world}"
        rc, log = generate(a.witc, a.input, f"{pkg}/{world}", out, extra)
        if rc == 0:
            stem = world.replace("-", "_").lower()
            rc, log = run(cxx(a) + ["-c", f"{stem}.cpp", "-o", f"{stem}.o"], cwd=out)
        expected_fail = world in xfail
        if rc != 0 and not expected_fail:
            print(f"FAIL {name} world {pkg}/{world}:\n{log[:4000]}")
            failed += 1
        elif rc == 0 and expected_fail:
            print(f"XPASS {name} world {world}: compiles now; remove it from {a.xfail}")
            failed += 1
        else:
            print(f"{'ok' if rc == 0 else 'xfail'} {name} world {pkg}/{world}")
    return 1 if failed else 0


def program_world(case, source, worlds):
    stem = source.stem
    if stem.startswith("runner"):
        return "runner"
    if stem.startswith("test"):
        return "test"
    return stem if stem in worlds else None


def cmd_runtime(a):
    case = Path(a.case)
    text = (case / "test.wit").read_text()
    worlds = re.findall(r"^\s*world\s+(\S+)\s*\{", text, re.M)
    failed = 0
    for src in sorted(case.glob("*.cpp")):
        world = program_world(case, src, worlds)
        if world is None:
            continue
        args = []
        m = re.match(r"//@\s*args\s*=\s*'([^']*)'", src.read_text())
        if m:
            args = shlex.split(m.group(1))
        out = Path(a.out) / case.name / src.stem
        rc, log = generate(a.witc, str(case / "test.wit"), world, out, args)
        if rc == 0:
            for h in (case / "cpp").glob("*.h") if (case / "cpp").is_dir() else []:
                shutil.copy(h, out / h.name)
            stem = world.replace("-", "_")
            rc, log = run(cxx(a) + ["-c", f"{stem}.cpp", "-o", f"{stem}.o"], cwd=out)
        if rc == 0:
            rc, log = run(cxx(a) + ["-I", str(out), "-c", str(src), "-o", str(out / "program.o")])
        print(f"{'ok' if rc == 0 else 'FAIL'} {case.name}/{src.name} (world {world})")
        if rc != 0:
            print(log[:4000])
            failed += 1
    return 1 if failed else 0


def cmd_golden(a):
    out = Path(a.out)
    rc, log = generate(a.witc, a.input, a.world, out, [])
    if rc != 0:
        print(log)
        return 1
    expected = Path(a.expected)
    # The component-type object is the composer's output, tested there.
    for o in out.glob("*.o"):
        o.unlink()
    if os.environ.get("WITC_BLESS") == "1":
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(out, expected)
        print(f"blessed {expected}")
        return 0
    failed = 0
    names = sorted({p.name for p in out.iterdir()} | {p.name for p in expected.iterdir()})
    for n in names:
        got, want = out / n, expected / n
        if not got.exists() or not want.exists() or got.read_bytes() != want.read_bytes():
            rc, diff = run(["diff", "-u", str(want), str(got)])
            print(f"differs: {n}\n{diff[:6000]}")
            failed += 1
    return 1 if failed else 0


def cmd_pch(a):
    out = Path(a.out)
    work = out.parent / "pch-src"
    work.mkdir(parents=True, exist_ok=True)
    (work / "p.wit").write_text("package witc:pch;\nworld w { export f: func(); }\n")
    rc, log = generate(a.witc, str(work / "p.wit"), "w", work / "gen", [])
    if rc != 0:
        print(log)
        return 1
    includes = [l for l in (work / "gen" / "wit.h").read_text().splitlines() if l.startswith("#include <")]
    (work / "std.h").write_text("\n".join(includes) + "\n")
    rc, log = run(CXX + ["-x", "c++-header", str(work / "std.h"), "-o", str(out)])
    print(log)
    return 0 if rc == 0 else 1


def cmd_program(a):
    src = Path(a.source).resolve()
    text = src.read_text()
    wit, worlds, expects, also, execute, imports = None, [], [], [], False, []
    for line in text.splitlines():
        if re.match(r"//@\s*exec\s*$", line):
            execute = True
            continue
        m = re.match(r"//@\s*([\w-]+)\s*=\s*(.*)$", line)
        if not m:
            continue
        key, val = m.group(1), m.group(2).strip()
        if key == "wit":
            wit = (src.parent / val).resolve()
        elif key == "world":
            worlds.append(shlex.split(val))
        elif key == "import":
            imports.append(val)
        elif key == "also":
            also.append((src.parent / val).resolve())
        elif key == "expect" or (key == "expect-formatted" and shutil.which("clang-format")):
            expects.append(val)
    if wit is None or not worlds:
        print(f"{src}: needs //@ wit = ... and //@ world = ...")
        return 2
    out = Path(a.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    objects = []
    for world, *opts in worlds:
        rc, log = run([a.witc, "bindgen", "cpp", str(wit), "-w", world, "--out-dir", str(out)] + opts)
        if rc != 0:
            print(f"FAIL bindgen {world} {opts}:\n{log}")
            return 1
        stem = world.replace("-", "_").lower()
        rc, log = run(cxx(a) + ["-c", f"{stem}.cpp", "-o", f"{stem}.o"], cwd=out)
        if rc != 0:
            print(f"FAIL compiling {stem}.cpp ({opts}):\n{log[:6000]}")
            return 1
        objects += [f"{stem}.o", f"{stem}_component_type.o"]
    headers = "".join(p.read_text() for p in out.glob("*.h"))
    for e in expects:
        if e not in headers:
            print(f"FAIL: the generated headers lack `{e}`")
            return 1
    for i, f in enumerate([src] + also):
        obj = f"program{i}.o"
        rc, log = run(cxx(a) + ["-I", str(out), "-c", str(f), "-o", str(out / obj)])
        if rc != 0:
            print(f"FAIL compiling {f.name}:\n{log[:6000]}")
            return 1
        objects.insert(i, obj)
    model = [] if execute else ["-mexec-model=reactor"]
    rc, log = run(["clang++-19", "--target=wasm32-wasi", "-fno-exceptions"] + model + objects + ["-o", "module.wasm"],
                  cwd=out)
    if rc != 0:
        print(f"FAIL linking:\n{log[:6000]}")
        return 1
    if imports:
        rc, log = run([a.witc, "inspect", "module.wasm"], cwd=out)
        for i in imports:
            if rc != 0 or not re.search(r"(?m)^\s*" + re.escape(i) + ":", log):
                print(f"FAIL: the module does not import `{i}` (witc inspect):\n{log[:6000]}")
                return 1
    print(f"ok compiled and linked {src.name} ({', '.join(' '.join(w) for w in worlds)})")
    if execute:
        if shutil.which("node") is None:
            print("skipped: node not found: the module was not run")
            return 77
        runner = str(Path(__file__).resolve().parent / "mock" / "run_wasi.mjs")
        rc, log = run(["node", "--no-warnings", runner, "module.wasm"], cwd=out)
        print(log)
        return 0 if rc == 0 else 1
    jco = Path(a.jco_dir or os.environ.get("JCO_DIR", "/tmp/jco"))
    if shutil.which("node") is None or not (jco / "node_modules/@bytecodealliance/jco-transpile").is_dir():
        print(f"skipped: jco not found under {jco} (JCO_DIR): no `jco new` check")
        return 77
    env = dict(os.environ, JCO_DIR=str(jco))
    script = str(Path(__file__).resolve().parent.parent / "fixtures" / "jco.mjs")
    p = subprocess.run(["node", script, "new", "module.wasm", "reactor", "component.wasm"], cwd=out,
                       capture_output=True, text=True, env=env)
    if p.returncode != 0:
        print(f"FAIL jco new:\n{(p.stdout + p.stderr)[:6000]}")
        return 1
    rc, log = run([a.witc, "validate", "--features", "cm-all", "component.wasm"], cwd=out)
    if rc != 0:
        print(f"FAIL witc validate of the component:\n{log}")
        return 1
    p = subprocess.run(["node", script, "wit", "component.wasm"], cwd=out, capture_output=True, text=True, env=env)
    print(f"ok jco new + witc validate; jco wit:\n{p.stdout}")
    return 0


def cmd_cli(a):
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    p = subprocess.run([a.witc, "bindgen", "cpp"] + a.args + ["--out-dir", str(out)], capture_output=True, text=True)
    ok = p.returncode == a.rc and a.stderr in p.stderr
    print(f"{'ok' if ok else 'FAIL'}: exit {p.returncode} (want {a.rc}); stderr:\n{p.stderr}")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("corpus")
    c.add_argument("--witc", required=True)
    c.add_argument("--input", required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--xfail")
    c.add_argument("--pch")
    c.add_argument("--features")
    c.add_argument("--all-features", action="store_true")
    r = sub.add_parser("runtime")
    r.add_argument("--witc", required=True)
    r.add_argument("--case", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--pch")
    g = sub.add_parser("golden")
    g.add_argument("--witc", required=True)
    g.add_argument("--input", required=True)
    g.add_argument("--world", required=True)
    g.add_argument("--expected", required=True)
    g.add_argument("--out", required=True)
    p = sub.add_parser("pch")
    p.add_argument("--witc", required=True)
    p.add_argument("--out", required=True)
    q = sub.add_parser("program")
    q.add_argument("--witc", required=True)
    q.add_argument("--source", required=True)
    q.add_argument("--out", required=True)
    q.add_argument("--pch")
    q.add_argument("--jco-dir")
    c2 = sub.add_parser("cli")
    c2.add_argument("--witc", required=True)
    c2.add_argument("--rc", type=int, required=True)
    c2.add_argument("--stderr", required=True)
    c2.add_argument("--out", required=True)
    c2.add_argument("args", nargs="*")
    a = ap.parse_args()
    return {"corpus": cmd_corpus, "runtime": cmd_runtime, "golden": cmd_golden, "pch": cmd_pch,
            "program": cmd_program, "cli": cmd_cli}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
