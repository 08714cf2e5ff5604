// A trapping program: a clean error naming the trap, exit code 134.
// EXIT: 134
// STDERR: wasm trap: out of bounds memory access
#include <stdio.h>

int main(void) {
  printf("before the trap\n");
  fflush(stdout);
  volatile int* p = (volatile int*)0xFFFFFFF0u;
  *p = 1;
  printf("not reached\n");
  return 0;
}
