#!/usr/bin/env python3
"""Compute-kernel benchmark: the C programs of bench/kernels/ built as
wasm32-wasi (clang-19 -O2) and natively (clang-19 -O2), run on `witc run`,
on node's V8 (node:wasi) and natively; every engine must print the same
output. Prints a Markdown table of the median time of RUNS whole-process
runs and the ratios to native, with geometric means.

The time is the CPU time of the process (user + system, from getrusage), so
that other jobs on a shared machine do not inflate it; --wall measures
elapsed time instead. Node's CPU time includes its background compiler
threads.

  bench/kernels.py [--build DIR] [--runs N] [--only a,b] [--no-node] [--wall]
"""
import resource
import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def build(src, out_dir, cc):
    name = os.path.splitext(os.path.basename(src))[0]
    wasm = os.path.join(out_dir, name + ".wasm")
    native = os.path.join(out_dir, name + ".native")
    for target, cmd in ((wasm, [cc, "--target=wasm32-wasi", "-O2", src, "-o", wasm]),
                        (native, [cc, "-O2", src, "-o", native, "-lm"])):
        if not os.path.exists(target) or os.path.getmtime(target) < os.path.getmtime(src):
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit(f"build failed: {' '.join(cmd)}\n{r.stderr}")
    return name, wasm, native


def cpu_children():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def time_runs(cmd, runs, wall):
    times, outputs = [], set()
    for _ in range(runs):
        t0, c0 = time.perf_counter(), cpu_children()
        r = subprocess.run(cmd, capture_output=True)
        t1, c1 = time.perf_counter(), cpu_children()
        if r.returncode != 0:
            sys.exit(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stderr.decode(errors='replace')}")
        times.append(t1 - t0 if wall else c1 - c0)
        outputs.add(r.stdout)
    if len(outputs) != 1:
        sys.exit(f"{' '.join(cmd)}: output differs between runs")
    return statistics.median(times), outputs.pop()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=os.environ.get("BUILD", "build"))
    p.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", "5")))
    p.add_argument("--only", default="")
    p.add_argument("--no-node", action="store_true")
    p.add_argument("--wall", action="store_true", help="elapsed time instead of CPU time")
    args = p.parse_args()
    witc = os.path.join(args.build, "bin", "witc")
    if not os.access(witc, os.X_OK):
        sys.exit(f"{witc} not found; build first (./dev bench)")
    cc = shutil.which("clang-19")
    if not cc:
        sys.exit("clang-19 not found")
    node = None if args.no_node else shutil.which("node")
    out_dir = os.path.join(args.build, "bench", "kernels")
    os.makedirs(out_dir, exist_ok=True)
    srcs = sorted(f for f in os.listdir(os.path.join(HERE, "kernels")) if f.endswith(".c"))
    if args.only:
        srcs = [f for f in srcs if os.path.splitext(f)[0] in args.only.split(",")]

    print(f"| kernel | native | witc run | node (V8) | witc / native | node / native |")
    print(f"|---|---:|---:|---:|---:|---:|")
    ratios_witc, ratios_node = [], []
    for src in srcs:
        name, wasm, native = build(os.path.join(HERE, "kernels", src), out_dir, cc)
        t_native, out_native = time_runs([native], args.runs, args.wall)
        t_witc, out_witc = time_runs([witc, "run", wasm], args.runs, args.wall)
        if out_witc != out_native:
            sys.exit(f"{name}: witc output differs from native:\n{out_witc!r}\n{out_native!r}")
        r_witc = t_witc / t_native
        ratios_witc.append(r_witc)
        node_cells = ("–", "–")
        if node:
            t_node, out_node = time_runs([node, "--no-warnings", os.path.join(HERE, "node_wasi.mjs"), wasm], args.runs, args.wall)
            if out_node != out_native:
                sys.exit(f"{name}: node output differs from native:\n{out_node!r}\n{out_native!r}")
            ratios_node.append(t_node / t_native)
            node_cells = (f"{t_node * 1000:.0f} ms", f"{t_node / t_native:.1f}×")
        print(f"| {name} | {t_native * 1000:.0f} ms | {t_witc * 1000:.0f} ms | {node_cells[0]} | "
              f"{r_witc:.1f}× | {node_cells[1]} |", flush=True)
    geo = lambda xs: math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")
    node_geo = f"{geo(ratios_node):.1f}×" if ratios_node else "–"
    print(f"| **geometric mean** | | | | **{geo(ratios_witc):.1f}×** | {node_geo} |")


if __name__ == "__main__":
    main()
