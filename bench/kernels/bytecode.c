// A switch-dispatch bytecode interpreter (a stack machine) running a loop
// that sums a sequence: the kind of code an interpreter is made of.
#include <stdint.h>
#include <stdio.h>

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, AND, LT, JZ, JMP, DUP, DROP, HALT };

static const int32_t program[] = {
    PUSH, 0, STORE, 0,           // i = 0
    PUSH, 0, STORE, 1,           // acc = 0
    LOAD, 0, PUSH, 4000000, LT,  // 8: i < n
    JZ, 42,                      // 13
    LOAD, 1, LOAD, 0, PUSH, 3, MUL, ADD, PUSH, 0xffffff, AND, STORE, 1,  // acc = (acc + i*3) & mask
    LOAD, 0, PUSH, 1, ADD, STORE, 0,  // i++
    PUSH, 7, DUP, DROP, DROP,         // filler
    JMP, 8,                           // 40
    HALT,                             // 42
};

static int32_t run(const int32_t* code) {
  int32_t stack[64];
  int32_t vars[4] = {0, 0, 0, 0};
  int sp = 0;
  int pc = 0;
  for (;;) {
    switch (code[pc++]) {
      case PUSH: stack[sp++] = code[pc++]; break;
      case LOAD: stack[sp++] = vars[code[pc++]]; break;
      case STORE: vars[code[pc++]] = stack[--sp]; break;
      case ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case AND: sp--; stack[sp - 1] &= stack[sp]; break;
      case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case JZ: {
        int32_t t = code[pc++];
        if (!stack[--sp]) pc = t;
        break;
      }
      case JMP: pc = code[pc]; break;
      case DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case DROP: sp--; break;
      case HALT: return vars[1];
      default: return -1;
    }
  }
}

int main(void) {
  printf("result %d\n", run(program));
  return 0;
}
