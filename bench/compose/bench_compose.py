#!/usr/bin/env python3
"""Composition benchmarks (issue 7): whole-process time and peak memory of
`witc plug` and `witc compose`, printed as Markdown table rows.

    bench_compose.py --witc BUILD/bin/witc --work DIR [--runs N] [--sizes 250,500,1000]

Inputs are generated into DIR (kept between runs, never committed):
  - a chain of N small components per size (bench/gen_chain.py): `witc
    compose root.wasm` finds every link by name, N + 1 instances;
  - a 12 MB component made by `jco componentize` (componentize-js, from
    plug.js and greet.wit: StarlingMonkey with the JS source inside) and a
    small runner that imports its interface (`witc component embed --dummy` +
    `jco new`): `witc plug runner.wasm --plug big.wasm`. Needs node and jco
    (JCO_DIR, default /tmp/jco); without them the row is left out.

Each command runs once as warmup and then N times; time is spawn to exit
(median and minimum); memory is the peak resident set of one more run
under GNU time (`/usr/bin/time -f %M`; "n/a" without it).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def measure(argv, runs):
    def once_rusage():
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, dict(os.environ),
                             file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                                           (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
        _, status, usage = os.wait4(pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"bench_compose: {' '.join(argv)} exited with {os.waitstatus_to_exitcode(status)}")
        return elapsed, usage

    once_rusage()
    times = [once_rusage()[0] for _ in range(runs)]
    return statistics.median(times), min(times), peak_rss(argv)


def peak_rss(argv):
    """Peak resident set of one run, in KB, measured by GNU time: a child of
    this Python process would start from Python's own resident set (the
    high-water mark survives exec), a child of `time` from a few hundred KB."""
    if not os.path.exists("/usr/bin/time"):
        return None
    r = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True, check=True)
    return int(r.stderr.strip().splitlines()[-1])


def fmt_rss(kb):
    return "n/a" if kb is None else f"{kb / 1024:.1f} MB"


def fmt_time(s):
    return f"{s * 1000:.1f} ms" if s < 10 else f"{s:.2f} s"


def make_chain(n, work):
    d = os.path.join(work, f"chain-{n}")
    if not os.path.exists(os.path.join(d, "root.wasm")):
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_chain.py"), str(n), d], check=True)
    return d


def make_big(witc, work):
    big = os.path.join(work, "big.wasm")
    runner = os.path.join(work, "runner.wasm")
    jco = os.environ.get("JCO_DIR", "/tmp/jco")
    if not os.path.isdir(os.path.join(jco, "node_modules", "@bytecodealliance", "componentize-js")):
        return None
    wit = os.path.join(HERE, "greet.wit")
    if not os.path.exists(big):
        subprocess.run(["node", os.path.join(HERE, "componentize.mjs"), os.path.join(HERE, "plug.js"), wit, "plug",
                        big], check=True)
    if not os.path.exists(runner):
        core = os.path.join(work, "runner.core.wasm")
        subprocess.run([witc, "component", "embed", "--dummy", wit, "-w", "runner", "-o", core], check=True)
        subprocess.run(["node", os.path.join(ROOT, "tests", "fixtures", "jco.mjs"), "new", core, "none", runner],
                       check=True)
    return big, runner


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--witc", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--sizes", default="250,500,1000")
    a = ap.parse_args()
    witc = os.path.abspath(a.witc)
    os.makedirs(a.work, exist_ok=True)
    out = os.path.join(a.work, "out.wasm")

    print("| composition, whole process | inputs | median | min | per instance | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|")
    big = make_big(witc, a.work)
    if big:
        b, r = big
        mb = os.path.getsize(b) / 1e6
        med, lo, rss = measure([witc, "validate", b], a.runs)
        print(f"| `witc validate big.wasm` (for scale) | {mb:.1f} MB | {fmt_time(med)} | {fmt_time(lo)} | | "
              f"{fmt_rss(rss)} |")
        for extra, note in (([], ""), (["--no-validate"], " --no-validate")):
            med, lo, rss = measure([witc, "plug", r, "--plug", b, "-o", out, *extra], a.runs)
            print(f"| `witc plug runner.wasm --plug big.wasm{note}` | {mb:.1f} MB + {os.path.getsize(r)} B | "
                  f"{fmt_time(med)} | {fmt_time(lo)} | | {fmt_rss(rss)} |")
    for n in (int(x) for x in a.sizes.split(",")):
        d = make_chain(n, a.work)
        size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
        med, lo, rss = measure([witc, "compose", os.path.join(d, "root.wasm"), "-o", out], a.runs)
        print(f"| `witc compose root.wasm`, chain of {n} | {n + 1} components, {size / 1e3:.0f} KB | {fmt_time(med)} | "
              f"{fmt_time(lo)} | {med / (n + 1) * 1e6:.0f} µs | {fmt_rss(rss)} |")


if __name__ == "__main__":
    main()
