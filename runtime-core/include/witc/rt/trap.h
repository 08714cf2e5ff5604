// Traps: how execution stops abnormally (core spec 4.4.1 "trap").
//
// A Trap is a value, not a C++ exception: every entry point that runs
// WebAssembly returns Result<T> = std::expected<T, Trap>. It carries the
// kind, the message the spec interpreter uses for that kind ("out of bounds
// memory access", ...), the function index and code offset (absolute byte
// offset in the module binary) of the instruction that trapped, and the wasm
// backtrace, innermost frame first. The store stays usable after any trap.
//
// Two kinds are not traps in the spec's sense but travel the same way:
// Link (instantiation refused: an import is missing or has the wrong type)
// and Exit (a WASI program called proc_exit; exit_code holds its status).
// An exception that no handler caught (exception handling) arrives as
// UncaughtException with the exception in `exception`.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace witc::rt {

class Exception;

enum class TrapKind : uint8_t {
  Unreachable,               // "unreachable"
  IntegerDivideByZero,       // "integer divide by zero"
  IntegerOverflow,           // "integer overflow"
  InvalidConversion,         // "invalid conversion to integer"
  MemoryOutOfBounds,         // "out of bounds memory access"
  TableOutOfBounds,          // "out of bounds table access"
  UndefinedElement,          // "undefined element" (call_indirect index past the table)
  UninitializedElement,      // "uninitialized element" (call_indirect of null)
  IndirectCallTypeMismatch,  // "indirect call type mismatch"
  NullReference,             // "null exception reference" (throw_ref of null)
  CallStackExhausted,        // "call stack exhausted"
  OutOfFuel,                 // "all fuel consumed"
  UncaughtException,         // "uncaught exception"
  Host,                      // a host function failed; the message says why
  Resource,                  // a resource limit (memory too large to allocate, ...)
  Link,                      // instantiation refused (unknown import, incompatible import type)
  Exit,                      // proc_exit(exit_code)
};

// The default message of a kind.
std::string_view trap_message(TrapKind kind);

struct TrapFrame {
  uint32_t func_index = 0;  // in the module's function index space (imports counted)
  uint64_t offset = 0;      // absolute offset of the instruction in the module binary
};

struct Trap {
  TrapKind kind = TrapKind::Host;
  std::string message;
  uint32_t func_index = UINT32_MAX;  // UINT32_MAX: not inside a wasm function
  uint64_t offset = 0;
  std::vector<TrapFrame> frames;     // innermost first
  int exit_code = 0;                 // Exit only
  Exception* exception = nullptr;    // UncaughtException only (owned by the store)

  static Trap make(TrapKind k) { return make(k, std::string(trap_message(k))); }
  static Trap make(TrapKind k, std::string msg) {
    Trap t;
    t.kind = k;
    t.message = std::move(msg);
    return t;
  }
  static Trap exit(int code) {
    Trap t = make(TrapKind::Exit, "exit");
    t.exit_code = code;
    return t;
  }

  // "<message> (in function N at offset 0x…)" plus one line per frame.
  std::string to_string() const;
};

template <class T>
using Result = std::expected<T, Trap>;

inline std::unexpected<Trap> trap(Trap t) { return std::unexpected<Trap>(std::move(t)); }

}  // namespace witc::rt
