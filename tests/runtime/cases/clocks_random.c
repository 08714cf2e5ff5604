// Clocks (monotonic, realtime, resolution), sleeping, random bytes.
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t ns(struct timespec t) { return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }

int main(void) {
  struct timespec a, b, res;
  clock_gettime(CLOCK_MONOTONIC, &a);
  struct timespec d = {0, 20 * 1000 * 1000};
  nanosleep(&d, NULL);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("monotonic advances by the sleep: %s\n", ns(b) - ns(a) >= 20 * 1000 * 1000 ? "yes" : "no");
  printf("realtime after 2020: %s\n", time(NULL) > 1577836800 ? "yes" : "no");
  printf("resolution positive: %s\n", clock_getres(CLOCK_MONOTONIC, &res) == 0 && ns(res) > 0 ? "yes" : "no");
  unsigned char r1[32], r2[32], zero[32] = {0};
  getentropy(r1, sizeof r1);
  getentropy(r2, sizeof r2);
  printf("random differs: %s\n", memcmp(r1, r2, 32) != 0 && memcmp(r1, zero, 32) != 0 ? "yes" : "no");
  return 0;
}
