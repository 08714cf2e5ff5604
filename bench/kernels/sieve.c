// Sieve of Eratosthenes: byte array, nested loops, stores.
#include <stdio.h>
#include <string.h>

#define N 2000000
static unsigned char composite[N + 1];

int main(void) {
  unsigned total = 0;
  for (int round = 0; round < 20; ++round) {
    memset(composite, 0, sizeof composite);
    unsigned count = 0;
    for (unsigned i = 2; i <= N; ++i) {
      if (composite[i]) continue;
      ++count;
      for (unsigned j = i + i; j <= N; j += i) composite[j] = 1;
    }
    total += count;
  }
  printf("primes below %d: %u (x20 = %u)\n", N, total / 20, total);
  return 0;
}
