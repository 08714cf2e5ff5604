// Memory copying: memcpy/memmove/memset over buffers of several sizes, plus
// a byte-by-byte copy loop the compiler must keep.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SIZE (1 << 20)
static uint8_t a[SIZE], b[SIZE];

int main(void) {
  for (int i = 0; i < SIZE; ++i) a[i] = (uint8_t)(i * 7 + 3);
  uint32_t check = 0;
  for (int round = 0; round < 1200; ++round) {
    memcpy(b, a, SIZE);
    memmove(a + 8, a, SIZE - 8);
    memset(b + round, round & 0xff, 4096);
    check += b[round * 131 % SIZE] + a[round * 977 % SIZE];
  }
  for (int round = 0; round < 24; ++round) {
    volatile uint8_t* dst = b;
    for (int i = 0; i < SIZE; ++i) dst[i] = a[(i * 13) & (SIZE - 1)];
    check += b[round * 4099 % SIZE];
  }
  for (int size = 1; size <= 256; size *= 2) {
    for (int i = 0; i + size <= 65536; i += size) memcpy(b + i, a + (i ^ 4096), (size_t)size);
    check += b[size];
  }
  printf("checksum %u\n", check);
  return 0;
}
