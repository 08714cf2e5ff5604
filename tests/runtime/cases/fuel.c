// --fuel bounds the work a program does.
// RUN: --fuel 1000000
// EXIT: 134
// STDERR: all fuel consumed
int main(void) {
  volatile unsigned x = 0;
  for (;;) ++x;
}
