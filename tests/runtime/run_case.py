#!/usr/bin/env python3
"""Runs one WASI program of tests/runtime/cases on `witc run`.

  run_case.py --witc W --cc clang-19 --cxx clang++-19 --src CASE.c|.cpp --out DIR

The source is compiled for wasm32-wasi (clang-19 -O2; C++ with libc++ and
-fno-exceptions) into DIR, then run in a fresh sandbox directory:

  DIR/work/                  the working directory of witc
  DIR/work/sandbox/          preopened by the cases that ask for it
  DIR/work/sandbox/hello.txt "hello from the host\\n"
  DIR/work/sandbox/inner/    an empty directory
  DIR/work/sandbox/up -> ../outside/secret.txt      (relative symlink out)
  DIR/work/sandbox/abs -> DIR/work/outside/secret.txt  (absolute symlink)
  DIR/work/sandbox/ok -> hello.txt                  (symlink that stays in)
  DIR/work/outside/secret.txt "secret\\n"            (never readable by the guest)

Directives in the source (comment lines):
  // RUN: <witc run options and arguments>   ({sandbox} = DIR/work/sandbox)
  // EXIT: <code>                            (default 0)
  // STDIN: <text>                           (\\n escapes allowed)
  // STDERR: <substring>                     (may repeat)
Expected stdout: CASE.out beside the source (exact), if it exists.
"""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--witc", required=True)
    p.add_argument("--cc", default="clang-19")
    p.add_argument("--cxx", default="clang++-19")
    p.add_argument("--src", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()

    name = os.path.splitext(os.path.basename(a.src))[0]
    out = os.path.join(a.out, name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    text = open(a.src, encoding="utf-8").read()
    directives = re.findall(r"^// (RUN|EXIT|STDIN|STDERR): ?(.*)$", text, re.M)

    wasm = os.path.join(out, name + ".wasm")
    if a.src.endswith(".cpp"):
        cmd = [a.cxx, "--target=wasm32-wasi", "-O2", "-std=c++20", "-fno-exceptions", a.src, "-o", wasm]
    else:
        cmd = [a.cc, "--target=wasm32-wasi", "-O2", a.src, "-o", wasm]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"compiling failed: {' '.join(cmd)}\n{r.stderr}")

    work = os.path.join(out, "work")
    sandbox = os.path.join(work, "sandbox")
    outside = os.path.join(work, "outside")
    os.makedirs(os.path.join(sandbox, "inner"))
    os.makedirs(outside)
    with open(os.path.join(sandbox, "hello.txt"), "w") as f:
        f.write("hello from the host\n")
    with open(os.path.join(outside, "secret.txt"), "w") as f:
        f.write("secret\n")
    os.symlink("../outside/secret.txt", os.path.join(sandbox, "up"))
    os.symlink(os.path.join(outside, "secret.txt"), os.path.join(sandbox, "abs"))
    os.symlink("hello.txt", os.path.join(sandbox, "ok"))

    args = []
    exit_code = 0
    stdin = ""
    stderr_wanted = []
    for kind, value in directives:
        if kind == "RUN":
            args += shlex.split(value.replace("{sandbox}", sandbox))
        elif kind == "EXIT":
            exit_code = int(value)
        elif kind == "STDIN":
            stdin += value.encode().decode("unicode_escape")
        else:
            stderr_wanted.append(value)
    # Options go before the module; "--" separates the guest's arguments.
    opts, guest = args, []
    if "--" in args:
        i = args.index("--")
        opts, guest = args[:i], args[i + 1:]
    run = [a.witc, "run", *opts, wasm, "--", *guest] if guest else [a.witc, "run", *opts, wasm]
    r = subprocess.run(run, input=stdin, capture_output=True, text=True, cwd=work, timeout=60)
    ok = True
    if r.returncode != exit_code:
        print(f"exit code {r.returncode}, expected {exit_code}")
        ok = False
    expected_path = os.path.splitext(a.src)[0] + ".out"
    if os.path.exists(expected_path):
        expected = open(expected_path, encoding="utf-8").read()
        if r.stdout != expected:
            print("stdout differs:\n--- expected\n" + expected + "--- got\n" + r.stdout)
            ok = False
    for s in stderr_wanted:
        if s not in r.stderr:
            print(f"stderr lacks {s!r}")
            ok = False
    if os.path.exists(os.path.join(outside, "secret.txt")) and \
            open(os.path.join(outside, "secret.txt")).read() != "secret\n":
        print("the file outside the sandbox was modified")
        ok = False
    if not ok:
        print("command: " + " ".join(shlex.quote(x) for x in run))
        print("stderr:\n" + r.stderr)
        return 1
    print(f"{name}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
