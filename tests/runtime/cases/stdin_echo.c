// Reading stdin to its end.
// STDIN: hello\nwasm world\n
#include <ctype.h>
#include <stdio.h>

int main(void) {
  int c, n = 0;
  while ((c = getchar()) != EOF) {
    putchar(toupper(c));
    ++n;
  }
  printf("%d bytes\n", n);
  return 0;
}
