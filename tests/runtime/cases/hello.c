// Printing, arguments and environment variables.
// RUN: --env GREETING=hi --env EMPTY= -- first "second arg" -x
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  for (int i = 1; i < argc; ++i) printf("argv[%d]=%s\n", i, argv[i]);
  printf("GREETING=%s\n", getenv("GREETING"));
  printf("EMPTY=[%s]\n", getenv("EMPTY"));
  printf("MISSING=%s\n", getenv("MISSING") ? "set" : "unset");
  fprintf(stderr, "this goes to stderr\n");
  for (int i = 0; i < 100; ++i) printf("%d%c", i, i % 20 == 19 ? '\n' : ' ');
  return 0;
}
