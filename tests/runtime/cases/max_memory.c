// --max-memory bounds memory growth: malloc fails instead of growing past it.
// RUN: --max-memory 4194304
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  size_t total = 0;
  while (malloc(65536)) total += 65536;
  printf("allocation failed before 4 MiB: %s\n", total < 4 * 1024 * 1024 && total > 1024 * 1024 ? "yes" : "no");
  return 0;
}
