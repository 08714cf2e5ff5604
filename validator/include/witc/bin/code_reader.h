// Decoding instructions: function bodies and constant expressions.
//
// CodeReader walks the bytes of one body (or expression) and decodes one
// instruction per call into a caller-owned Instr, using the immediate kinds of
// opcodes.def. It allocates nothing per instruction: variable-length
// immediates (br_table targets, select types, try_table catches) land in
// scratch vectors the reader reuses, so an Instr's spans stay valid only until
// the next call. The reader checks encodings (LEB128 rules, feature-gated
// opcodes, reserved zero bytes); typing is the validator's job.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/bin/cursor.h"
#include "witc/bin/features.h"
#include "witc/bin/opcodes.h"
#include "witc/bin/types.h"

namespace witc::bin {

struct MemArg {
  uint32_t align = 0;   // log2 of the alignment hint
  uint32_t memory = 0;  // memory index (multi-memory)
  uint64_t offset = 0;
};

// A try_table catch clause (exception handling).
struct Catch {
  enum class Kind : uint8_t { Catch = 0, CatchRef = 1, CatchAll = 2, CatchAllRef = 3 };
  Kind kind = Kind::Catch;
  uint32_t tag = 0;  // Catch, CatchRef
  uint32_t label = 0;
};

// One decoded instruction. Which fields hold data depends on op_info(op).imm:
//   index   label, func, type (call_indirect), local, global, table, elem,
//           data, tag, br_table default label, destination table (table.copy)
//   index2  table (call_indirect, table.init), source table (table.copy),
//           source memory (memory.copy)
//   mem     memarg; mem.memory also for memory.size/grow/fill/init and the
//           destination of memory.copy
//   lane, block, type (ref.null heap type), bits (i32/i64/f32/f64 constants as
//   bit patterns), v128 (v128.const bytes, shuffle lanes), targets, types,
//   catches.
struct Instr {
  Op op = Op::Nop;
  uint64_t offset = 0;  // absolute offset of the opcode
  uint32_t index = 0;
  uint32_t index2 = 0;
  MemArg mem;
  uint8_t lane = 0;
  BlockType block;
  ValType type = ValType::Bottom;
  uint64_t bits = 0;
  std::array<uint8_t, 16> v128{};
  std::span<const uint32_t> targets;
  std::span<const ValType> types;
  std::span<const Catch> catches;
};

class CodeReader {
 public:
  // `base` is the absolute offset of bytes[0].
  CodeReader(std::span<const uint8_t> bytes, uint64_t base, Features features)
      : c_(bytes, base, false), features_(features) {}

  // Reads the local declarations of a function body, appending one ValType
  // per local to `locals` (which holds the parameters). Enforces the spec's
  // u32 total and limits::kLocals ("too many locals").
  Expected<void> read_locals(std::vector<ValType>& locals);

  bool at_end() const { return c_.at_end(); }
  uint64_t offset() const { return c_.offset(); }
  const uint8_t* pos() const { return c_.pos(); }
  Cursor& cursor() { return c_; }

  // Decodes the next instruction into `ins`.
  Expected<void> next(Instr& ins);

 private:
  Expected<void> read_immediates(Instr& ins, Imm imm);
  Expected<void> read_memarg(Instr& ins);
  Expected<uint32_t> read_memidx();
  Expected<void> read_br_table(Instr& ins);
  Expected<void> read_try_table(Instr& ins);

  Cursor c_;
  Features features_;
  std::vector<uint32_t> targets_;
  std::vector<ValType> types_;
  std::vector<Catch> catches_;
};

// Decoding helpers shared by the module reader (core spec 5.3).
Expected<ValType> read_valtype(Cursor& c, Features f);
Expected<ValType> read_reftype(Cursor& c, Features f);
Expected<BlockType> read_blocktype(Cursor& c, Features f);

// Reads a constant expression up to and including its final `end` (nested
// blocks are skipped as a unit, so an invalid expression is reported by the
// validator, not mis-framed here). Returns the bytes it spans.
Expected<std::span<const uint8_t>> read_expr(Cursor& c, Features f);

}  // namespace witc::bin
