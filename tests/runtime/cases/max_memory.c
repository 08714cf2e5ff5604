// --max-memory bounds memory growth: malloc fails instead of growing past it.
// RUN: --max-memory 4194304
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  size_t total = 0;
  void* list = NULL;
  for (;;) {
    void** p = malloc(65536);
    if (!p) break;
    *p = list;  // keep every block reachable
    list = p;
    total += 65536;
  }
  int blocks = 0;
  for (void** p = list; p; p = *p) ++blocks;
  printf("allocation failed before 4 MiB: %s\n", total < 4 * 1024 * 1024 && total > 1024 * 1024 ? "yes" : "no");
  printf("blocks counted: %s\n", (size_t)blocks * 65536 == total ? "all" : "some lost");
  return 0;
}
