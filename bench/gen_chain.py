#!/usr/bin/env python3
"""Writes a chain of N small components for the composition benchmark:

    gen_chain.py N OUTDIR

OUTDIR/root.wasm imports the instance `l0001` and re-exports its function
`f` as `run`; OUTDIR/lK.wasm (K = 0001..N) imports the instance of the next
link `l{K+1}` (the last one imports nothing) and exports `f: func(x: u32) ->
u32`, lifted from a core module of its own (x + 1). `witc compose
OUTDIR/root.wasm` finds every link by name and composes N + 1 instances.
The binaries are written directly (Binary.md), deterministic for a given N."""
import os
import sys


def uleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def name(s):
    b = s.encode()
    return uleb(len(b)) + b


def vec(items):
    return uleb(len(items)) + b"".join(items)


def section(sid, contents):
    return bytes([sid]) + uleb(len(contents)) + contents


PREAMBLE = b"\x00asm\x0d\x00\x01\x00"
U32 = b"\x79"
# func(x: u32) -> u32
FUNC_TYPE = b"\x40" + vec([name("x") + U32]) + b"\x00" + U32
# instance { export f: func(x: u32) -> u32 }
INSTANCE_TYPE = b"\x42" + vec([b"\x01" + FUNC_TYPE, b"\x04\x00" + name("f") + b"\x01" + uleb(0)])

# (module (func (export "f") (param i32) (result i32) local.get 0 i32.const 1 i32.add))
CORE = (b"\x00asm\x01\x00\x00\x00"
        + section(1, vec([b"\x60\x01\x7f\x01\x7f"]))
        + section(3, vec([uleb(0)]))
        + section(7, vec([name("f") + b"\x00" + uleb(0)]))
        + section(10, vec([uleb(7) + b"\x00\x20\x00\x41\x01\x6a\x0b"])))


def link(next_name):
    out = PREAMBLE + section(7, vec([INSTANCE_TYPE, FUNC_TYPE]))
    if next_name:
        out += section(10, vec([b"\x00" + name(next_name) + b"\x05" + uleb(0)]))
    out += section(1, CORE)
    out += section(2, vec([b"\x00" + uleb(0) + vec([])]))              # core instance 0
    out += section(6, vec([b"\x00\x00\x01" + uleb(0) + name("f")]))     # core func 0 = export f
    out += section(8, vec([b"\x00\x00" + uleb(0) + vec([]) + uleb(1)]))  # func 0 = lift (type 1)
    out += section(11, vec([b"\x00" + name("f") + b"\x01" + uleb(0) + b"\x00"]))
    return out


def root(first):
    out = PREAMBLE + section(7, vec([INSTANCE_TYPE]))
    out += section(10, vec([b"\x00" + name(first) + b"\x05" + uleb(0)]))
    out += section(6, vec([b"\x01\x00" + uleb(0) + name("f")]))         # func 0 = export f of instance 0
    out += section(11, vec([b"\x00" + name("run") + b"\x01" + uleb(0) + b"\x00"]))
    return out


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    names = [f"l{k:04d}" for k in range(1, n + 1)]
    with open(os.path.join(out, "root.wasm"), "wb") as f:
        f.write(root(names[0]))
    for k, nm in enumerate(names):
        with open(os.path.join(out, nm + ".wasm"), "wb") as f:
            f.write(link(names[k + 1] if k + 1 < n else None))


if __name__ == "__main__":
    main()
