// Recursion: naive Fibonacci (calls dominate).
#include <stdio.h>

static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(void) {
  printf("fib(37) = %u\n", fib(37));
  return 0;
}
