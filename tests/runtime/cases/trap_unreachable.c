// __builtin_trap is the wasm `unreachable` instruction.
// EXIT: 134
// STDERR: wasm trap: unreachable
int main(void) {
  __builtin_trap();
  return 0;
}
