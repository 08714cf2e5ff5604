// The interpreter's internal code and execution state (private to runtime-core).
//
// Code. A module compiles into one array of 64-bit words. An instruction is
// the address of its handler in the dispatch loop (direct threading), then
// its u32 operands packed two per word, then its u64 words (iops.def gives
// each layout). Branch targets and callees are absolute pointers, resolved
// when the module is finished, so a taken branch is one load.
//
// Frames. A function's frame is a run of 8-byte slots: parameters, then
// declared locals, then the operand stack; a v128 takes two slots. Operands
// of an instruction are slot numbers relative to the frame pointer, so
// `local.get` costs nothing (the instruction reads the local's slot) and
// results go straight where they are needed. A call's arguments are the top
// slots of the caller's operand stack; the callee's frame starts there, so
// arguments are never copied, and results come back in the same place.
// i32 and f32 values are stored zero-extended to 64 bits: every write is a
// full-slot write (no partial store forwarding stalls) and an i32 slot can
// be read as a 64-bit address or condition.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "witc/bin/code_reader.h"
#include "witc/bin/module.h"
#include "witc/bin/validate.h"
#include "witc/rt/runtime.h"

namespace witc::rt::detail {

union Slot {
  uint64_t u64;
  uint32_t u32;
  int32_t i32;
  int64_t i64;
};
static_assert(sizeof(Slot) == 8);

using Word = uint64_t;

enum class IOp : uint16_t {
#define WITC_IOP(name) name,
#include "iops.def"
#undef WITC_IOP
  Count_
};
inline constexpr size_t kIOpCount = static_cast<size_t>(IOp::Count_);

// An IOp's name, for dumps ("Load32S").
inline const char* iop_name(size_t op) {
  static const char* const kNames[] = {
#define WITC_IOP(name) #name,
#include "iops.def"
#undef WITC_IOP
  };
  return op < kIOpCount ? kNames[op] : "?";
}

// The handler address of every IOp (the dispatch loop's labels).
const void* const* handlers();
inline Word handler(IOp op) { return reinterpret_cast<Word>(handlers()[static_cast<size_t>(op)]); }

struct FuncCode {
  const Word* code = nullptr;  // first instruction
  uint32_t frame_slots = 0;    // everything the frame may touch
  uint32_t param_slots = 0;
  uint32_t local_slots = 0;    // parameters and declared locals
  uint32_t result_slots = 0;
  uint32_t func_index = 0;     // in the module's function index space
  uint32_t type_id = 0;
  uint32_t code_begin = 0;     // word range in Compiled::code
  uint32_t code_end = 0;
  uint32_t try_begin = 0;      // range in Compiled::tries
  uint32_t try_end = 0;
};

// Internal pc (word index) -> offset of the wasm instruction in the binary.
struct PcEntry {
  uint32_t pc;
  uint32_t offset;
};

// A try_table's body [begin, end) (word indices) and its catch clauses.
// A function's regions are stored in the order they close, so the first
// region containing a pc is the innermost.
struct TryRegion {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t first_catch = 0;
  uint32_t n_catches = 0;
};

struct CatchClause {
  bin::Catch::Kind kind = bin::Catch::Kind::CatchAll;
  uint32_t tag = 0;        // tag index (Catch, CatchRef)
  uint32_t label = 0;      // while compiling: label id; then:
  const Word* target = nullptr;
  uint32_t dst = 0;        // first slot of the label's values
};

struct Compiled {
  bin::Module binary;
  bin::ModuleInfo info;
  Config config;
  std::vector<Word> code;
  std::vector<FuncCode> funcs;        // defined functions, in code-section order
  std::vector<PcEntry> pc_map;        // sorted by pc
  std::vector<TryRegion> tries;
  std::vector<CatchClause> catches;
  std::vector<uint32_t> type_ids;     // canonical id of each type-section entry
  std::vector<uint32_t> starts;       // instruction starts (only with WITC_DUMP_CODE set)

  // The defined function whose code holds word index `pc`, or nullptr.
  const FuncCode* func_at(size_t pc) const;
  // The binary offset of the instruction holding word index `pc`.
  uint64_t offset_at(size_t pc) const;
};

// Prints the internal code of every function (for WITC_DUMP_CODE=1).
void dump_code(const Compiled& c, FILE* out);

// Canonical function types: structurally equal types share an id (and a
// FuncType that lives for the process), so a signature check is one compare.
uint32_t canon_type_id(const bin::FuncType& t);
const bin::FuncType* canon_type(uint32_t id);

// Number of slots a value of type t occupies.
constexpr uint32_t slot_width(bin::ValType t) { return t == bin::ValType::V128 ? 2 : 1; }
uint32_t slot_count(std::span<const bin::ValType> ts);

// ---- execution state --------------------------------------------------------

struct CallFrame {
  const Word* ret_pc;
  Slot* fp;
  Instance* inst;
};

// Trap codes inside the interpreter: 0 = no trap, else TrapKind + 1.
using TrapCode = uint32_t;
constexpr TrapCode trap_code(TrapKind k) { return static_cast<TrapCode>(k) + 1; }

// The state of execution in one store (one thread of wasm execution).
struct Exec {
  Store* store = nullptr;
  Instance* inst = nullptr;        // the running instance (for Ext functions)
  Slot* stack_begin = nullptr;
  Slot* stack_end = nullptr;
  Slot* sp = nullptr;              // first slot above every live frame
  CallFrame* frames_begin = nullptr;
  CallFrame* frames_end = nullptr;
  CallFrame* frame_top = nullptr;  // next free frame
  int64_t fuel = INT64_MAX;
  Word exit_word = 0;              // the Exit instruction: where the outermost frame returns
  // Set when run() stops: the instruction, and a pending host trap or exception.
  const Word* trap_pc = nullptr;
  uint64_t trap_index = 0;         // the element index of UndefinedElement/UninitializedElement
  Trap host_trap;
  bool has_host_trap = false;
  Exception* exception = nullptr;
};

// Out-of-line operations called by the Ext instructions: operands are the
// instruction's u32 operands; returns 0 or a trap code.
using ExtFn = TrapCode (*)(Exec& cx, Slot* fp, const uint32_t* ops);

enum class RunStatus : uint8_t { Ok, Trap, Exception };

// Runs from `pc` with frame `fp` until the Exit instruction is reached.
// On Trap, cx.trap_pc and the code say where; cx.frame_top still holds the
// frames of the failed activation (for the backtrace) and must be reset by
// the caller. On Exception, cx.exception holds the uncaught exception.
RunStatus run(Exec& cx, const Word* pc, Slot* fp, TrapCode* code);

}  // namespace witc::rt::detail
