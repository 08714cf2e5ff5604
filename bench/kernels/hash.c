// Hashing: FNV-1a over a buffer plus an open-addressing hash table.
#include <stdint.h>
#include <stdio.h>

#define BUF 1000000
#define TABLE (1 << 16)
static uint8_t buf[BUF];
static uint32_t keys[TABLE];
static uint32_t vals[TABLE];

static uint32_t fnv1a(const uint8_t* p, uint32_t n) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
  return h;
}

static uint32_t mix(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

int main(void) {
  uint32_t seed = 12345;
  for (uint32_t i = 0; i < BUF; ++i) {
    seed = seed * 1103515245u + 12345u;
    buf[i] = (uint8_t)(seed >> 16);
  }
  uint32_t h = 0;
  for (int r = 0; r < 64; ++r) h ^= fnv1a(buf, BUF) + (uint32_t)r;
  uint32_t hits = 0;
  for (uint32_t round = 0; round < 64; ++round) {
    for (uint32_t i = 0; i < TABLE; ++i) keys[i] = 0;
    for (uint32_t i = 1; i < TABLE / 2; ++i) {
      uint32_t k = mix(i * 2654435761u + round);
      uint32_t slot = k & (TABLE - 1);
      while (keys[slot] != 0 && keys[slot] != k) slot = (slot + 1) & (TABLE - 1);
      keys[slot] = k;
      vals[slot] = i;
    }
    for (uint32_t i = 1; i < TABLE; ++i) {
      uint32_t k = mix(i * 2654435761u + round);
      uint32_t slot = k & (TABLE - 1);
      while (keys[slot] != 0) {
        if (keys[slot] == k) {
          hits += vals[slot] & 1;
          break;
        }
        slot = (slot + 1) & (TABLE - 1);
      }
    }
  }
  printf("fnv %08x hits %u\n", h, hits);
  return 0;
}
