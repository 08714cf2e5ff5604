#!/usr/bin/env python3
"""split_core.py COMPONENT OUTDIR: writes every core module of a component
(nested components included) to OUTDIR/core-N.wasm and prints their paths.
For comparing `witc validate` on a component with wabt's `wasm-validate`,
which reads only core modules."""
import os
import sys


def leb(b, i):
    result = shift = 0
    while True:
        byte = b[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def walk(b, out):
    i = 8  # preamble
    while i < len(b):
        sid = b[i]
        size, j = leb(b, i + 1)
        body = b[j:j + size]
        if sid == 1:  # core module
            out.append(body)
        elif sid == 4:  # nested component
            walk(body, out)
        i = j + size


def main():
    comp, outdir = sys.argv[1], sys.argv[2]
    data = open(comp, "rb").read()
    mods = []
    walk(data, mods)
    os.makedirs(outdir, exist_ok=True)
    for n, m in enumerate(mods):
        path = os.path.join(outdir, f"core-{n}.wasm")
        with open(path, "wb") as f:
            f.write(m)
        print(path)


if __name__ == "__main__":
    main()
