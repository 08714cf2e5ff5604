#!/usr/bin/env python3
"""One case of the wac-parser suites of ../shared/corpus/composition.

    run_wac.py --witc WITC --corpus DIR --suite parser|resolution|encoding --case NAME

NAME is `x` or `fail/x` for x.wac in the suite's folder; packages are found
under the folder beside it (`--deps-dir x`), as wac's harness does.

- parser: `witc compose --parse-only --json` prints wac's AST JSON exactly.
- resolution: `witc compose --resolve-only` prints wac's DOT graph exactly.
- encoding: `witc compose --import-dependencies` (the harness encodes with
  `define_components: false`) gives a component that validates and whose
  world (`witc inspect`, what `jco wit` prints) is NAME.expected.wit after
  whitespace normalisation; composing with the packages embedded must also
  give a valid component.
- fail/*: exit 1, naming every `quoted` import, export and type of the
  reference's message and pointing at the same line:col (miette's
  `[file:line:col]`). The output says whether the message text is equal:
  the reference's message and causes, joined with ": ", are the text of
  witc's error line.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile


def norm(text):
    return re.sub(r"\s+", " ", text).strip()


def reference_error(text):
    """The message, its causes and the line:col of a miette rendering."""
    msgs = []
    for line in text.split("\n"):
        t = line.strip()
        if t.startswith("×"):
            msgs.append(t[1:].strip())
        elif t.startswith(("├─▶", "╰─▶")):
            msgs.append(t[3:].strip())
        elif t.startswith("│") and msgs:
            msgs[-1] += " " + t[1:].strip()  # a message wrapped by the renderer
        elif t.startswith("╭─"):
            break
    loc = re.search(r"╭─\[[^\]]*:(\d+):(\d+)\]", text)
    return msgs, (f"{loc.group(1)}:{loc.group(2)}" if loc else None)


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def check_failure(r, expected_text):
    if r.returncode != 1:
        print(f"expected exit 1, got {r.returncode}\n{r.stdout}{r.stderr}")
        return 1
    msgs, loc = reference_error(expected_text)
    m = re.search(r"--> .*:(\d+:\d+)$", r.stderr, re.M)
    ours = m.group(1) if m else None
    if loc != ours:
        print(f"the error points at {ours}, the reference at {loc}:\n{r.stderr}")
        return 1
    names = {n for msg in msgs for n in re.findall(r"`([^`]*)`", msg)}
    missing = sorted(n for n in names if f"`{n}`" not in r.stderr)
    if missing:
        print(f"the error does not name {missing!r}:\n{r.stderr}")
        return 1
    first = r.stderr.split("\n")[0]
    equal = first == "error: " + ": ".join(msgs)
    print(f"message equal to the reference's: {'yes' if equal else 'no'}")
    if not equal:
        print(f"  reference: {': '.join(msgs)}\n  witc:      {first}")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--witc", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--suite", required=True, choices=["parser", "resolution", "encoding"])
    ap.add_argument("--case", required=True)
    a = ap.parse_args()
    folder = os.path.join(a.corpus, "wac-parser", a.suite)
    wac = os.path.join(folder, a.case + ".wac")
    deps = os.path.join(folder, a.case)
    expected = open(wac + ".result", encoding="utf-8").read().replace("\r\n", "\n")
    failing = a.case.startswith("fail/")
    if a.suite == "parser":
        r = run([a.witc, "compose", "--parse-only", "--json", wac])
        if failing:
            return check_failure(r, expected)
        if r.returncode != 0 or r.stdout.rstrip("\n") != expected:
            print(f"the syntax tree differs ({r.returncode}):\n{r.stderr}{r.stdout}")
            return 1
        return 0
    if a.suite == "resolution":
        r = run([a.witc, "compose", "--resolve-only", "--deps-dir", deps, wac])
        if failing:
            return check_failure(r, expected)
        if r.returncode != 0 or r.stdout.rstrip("\n") != expected.rstrip("\n"):
            print(f"the graph differs ({r.returncode}):\n{r.stderr}--- witc\n{r.stdout}--- expected\n{expected}")
            return 1
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.wasm")
        r = run([a.witc, "compose", "--import-dependencies", "--deps-dir", deps, wac, "-o", out])
        if failing:
            return check_failure(r, expected)
        if r.returncode != 0:
            print(f"compose failed ({r.returncode}):\n{r.stderr}")
            return 1
        for step in (["validate", out], ["inspect", out]):
            s = run([a.witc] + step)
            if s.returncode != 0:
                print(f"`witc {step[0]}` failed:\n{s.stderr}")
                return 1
        want = open(os.path.join(folder, a.case + ".expected.wit"), encoding="utf-8").read()
        if norm(s.stdout) != norm(want):
            print(f"world differs:\n--- witc\n{s.stdout}\n--- expected\n{want}")
            return 1
        r = run([a.witc, "compose", "--deps-dir", deps, wac, "-o", out])
        if r.returncode != 0:
            print(f"compose with the packages embedded failed ({r.returncode}):\n{r.stderr}")
            return 1
        v = run([a.witc, "validate", out])
        if v.returncode != 0:
            print(f"the component with the packages embedded is not valid:\n{v.stderr}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
