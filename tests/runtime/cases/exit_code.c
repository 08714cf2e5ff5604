// The exit code is the guest's: exit() from a nested call, after output.
// EXIT: 42
#include <stdio.h>
#include <stdlib.h>

static void leave(int code) {
  printf("leaving with %d\n", code);
  exit(code);
}

int main(void) {
  leave(42);
  printf("not reached\n");
  return 0;
}
