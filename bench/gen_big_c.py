#!/usr/bin/env python3
"""Writes a large C program for the validation benchmark: N functions with
loops, switches, floating point and memory traffic, so clang's wasm output
exercises most of the instruction set. Deterministic for a given N."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 6000
out = ["#include <stdint.h>", "static volatile uint32_t sink;", "static double buf[256];"]
for i in range(n):
    out.append(f"""
__attribute__((noinline)) uint32_t f{i}(uint32_t a, uint64_t b, double c) {{
  uint32_t acc = a * {i * 2654435761 % 4294967291}u;
  for (uint32_t k = 0; k < (a & 63u); ++k) {{
    switch ((acc + k) % 7u) {{
      case 0: acc ^= (uint32_t)(b >> (k & 31)); break;
      case 1: acc += (uint32_t)(c * {i % 97 + 1}.5); break;
      case 2: buf[k & 255] += c / (double)(k + 1); break;
      case 3: acc = (acc << 3) | (acc >> 29); break;
      case 4: b = b * 6364136223846793005ull + {i}ull; break;
      case 5: c = c * 0.75 + (double)acc; break;
      default: acc -= (uint32_t)buf[(acc + {i}u) & 255]; break;
    }}
  }}
  return acc + (uint32_t)b + (uint32_t)c;
}}""")
out.append("int main(void) {")
out.append("  uint32_t s = 0;")
for i in range(0, n, max(1, n // 64)):
    out.append(f"  s += f{i}(s, {i}ull, 1.5);")
out.append("  sink = s;\n  return 0;\n}")
sys.stdout.write("\n".join(out) + "\n")
