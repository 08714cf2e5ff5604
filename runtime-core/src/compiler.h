// Translating function bodies into internal code (private to runtime-core).
//
// The compiler is an InstrVisitor: the validator type-checks each instruction
// and hands it over, so compilation is the same single pass as validation.
//
// It keeps a compile-time mirror of the operand stack. An entry is a value in
// its own stack slot, a reference to a local (after local.get: no code), or a
// constant (after *.const: no code). Instructions read locals' slots and fold
// constants into immediates; a value is copied into its stack slot only when
// something needs it there (a call argument, a branch value, a local about to
// change). Results are written to the slot of their stack position, and a
// following local.set retargets that write to the local instead. A compare
// followed by br_if or if becomes one compare-and-branch instruction.
//
// Control flow: every block, loop and if starts with the stack's local
// references written out, so all paths into a label agree on where values
// are; branch values are moved into the label's slots (ascending order is
// safe: a source never lies below its destination). Forward branches are
// patched when their label is bound. Fuel (if enabled) is charged at function
// entry and at each loop header with the count of instructions up to the next
// charge point.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <vector>

#include "code.h"
#include "witc/bin/func_validator.h"

namespace witc::rt::detail {

// Out-of-line implementations of instructions without a dispatch-loop
// handler (SIMD, non-zero or 64-bit memories, bulk memory, tables, ...).
ExtFn ext_for(bin::Op op);                       // plain-signature instructions
ExtFn ext_generic_load(bin::Op op);              // scalar loads on any memory
ExtFn ext_generic_store(bin::Op op);             // scalar stores on any memory
// Special instructions (operands documented in ext_ops.cpp).
extern const ExtFn kExtMemorySize, kExtMemoryGrow, kExtMemoryFill, kExtMemoryCopy, kExtMemoryInit,
    kExtDataDrop, kExtTableGet, kExtTableSet, kExtTableSize, kExtTableGrow, kExtTableFill,
    kExtTableCopy, kExtTableInit, kExtElemDrop;

class Compiler final : public bin::InstrVisitor {
 public:
  explicit Compiler(Compiled& out);

  Expected<void> on_function_begin(uint32_t def_index, const bin::FuncValidator& v) override;
  Expected<void> on_instr(const bin::Instr& ins, const bin::StackEffect& effect,
                          const bin::FuncValidator& v) override;
  // Resolves code pointers once every function is compiled.
  void finish_module();

 private:
  enum class Kind : uint8_t { Slot, Local, Const };
  struct Entry {
    Kind kind = Kind::Slot;
    bin::ValType type = bin::ValType::I32;
    uint32_t slot = 0;   // the slot of this stack position
    uint32_t local = 0;  // Local: the local's slot
    uint64_t c0 = 0, c1 = 0;  // Const: bits (v128: low, high)
  };
  struct Label {
    int64_t pos = -1;               // bound word index
    std::vector<uint32_t> fixups;   // words that receive the target
    bool used = false;
  };
  struct Ctrl {
    bin::FrameKind kind = bin::FrameKind::Block;
    uint32_t height = 0;     // entries below the frame's parameters
    uint32_t base = 0;       // slot of position `height`
    std::span<const bin::ValType> params, results;
    uint32_t label = 0;
    uint32_t else_label = 0;
    bool live_entry = true;  // reachable at entry
    bool dead = false;       // the code at this point is unreachable
    int64_t fuel_site = -1;  // loop: word holding the Fuel cost
    uint32_t fuel_count = 0;
    uint32_t try_begin = 0;
    std::vector<CatchClause> catches;
  };
  // What the last emitted instruction did, for retargeting and fusion.
  struct Last {
    bool valid = false;    // it wrote the top entry's slot and nothing followed
    size_t start = 0;      // word index
    size_t dst_field = 0;  // u32 index (into the code as u32s) of its destination operand
    uint32_t dst_slot = 0;
    size_t pc_entries = 0;
    bool cmp = false;      // a fusable compare: a <kind> b, a <kind> imm, or eqz a (kind 10)
    uint8_t cmp_kind = 0;  // eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u
    bool is64 = false;
    bool has_imm = false;
    bool add32 = false;    // an i32.add (a + b, or a + imm): foldable into a memory access
    uint32_t a = 0, b = 0;
    uint64_t imm = 0;
  };
  // Removes the last instruction (its result is consumed by the fused one).
  void drop_last();
  // The last few instructions emitted since the last label, most recent
  // last, with their first u32 operands: what a fusion may replace.
  struct Emitted {
    size_t start = 0;
    size_t pc_entries = 0;  // pc map size before it
    IOp op = IOp::Exit;
    uint32_t f[4] = {};
    uint64_t offset = 0;    // the wasm instruction it came from
  };
  static constexpr size_t kHistory = 3;
  Emitted hist_[kHistory];
  size_t hist_n_ = 0;
  const Emitted* emitted(size_t back) const {  // 0 = the last one
    return back < hist_n_ ? &hist_[hist_n_ - 1 - back] : nullptr;
  }
  void merge_add_pair();
  // Removes the instruction before the last one (moving the last one down);
  // false if the last one holds a branch target or a callee.
  bool remove_second_last();

  // Emission.
  size_t emit(IOp op, std::initializer_list<uint32_t> u32s, std::initializer_list<uint64_t> u64s = {});
  size_t emit_ext(IOp op, ExtFn fn, std::span<const uint32_t> ops);
  void record_pc(size_t start);
  void branch_to(uint32_t label, size_t word);
  void bind(uint32_t label);
  uint32_t new_label();
  void set_last_result(size_t start, size_t dst_field);  // dst_field: absolute u32 index

  // The compile-time stack.
  uint32_t next_slot() const;
  Entry& push(bin::ValType t);
  Entry pop();
  uint32_t use(Entry& e);                    // the slot holding e's value (materialises constants)
  void materialize(Entry& e);                // puts e's value into its own slot
  void materialize_locals();                 // every Local entry
  void materialize_local(uint32_t local_slot);  // Local entries of one local
  void move_to(uint32_t dst, const Entry& e);
  void move_top_to(uint32_t n, uint32_t dst_base);  // top n entries -> consecutive slots
  bool top_in_place(uint32_t n, uint32_t dst_base) const;
  Ctrl& target(uint32_t depth) { return ctrls_[ctrls_.size() - 1 - depth]; }
  std::span<const bin::ValType> label_types(const Ctrl& c) const {
    return c.kind == bin::FrameKind::Loop ? c.params : c.results;
  }

  // Instructions.
  Expected<void> control(const bin::Instr& ins, const bin::FuncValidator& v);
  void end_frame();
  void emit_return();
  void branch(uint32_t depth);
  void cond_branch(uint32_t depth);
  void emit_cond_jump(Entry cond, bool when_true, uint32_t label);
  void br_table(const bin::Instr& ins);
  void call(const bin::Instr& ins);
  void variable(const bin::Instr& ins, const bin::StackEffect& effect);
  void numeric(const bin::Instr& ins, const bin::StackEffect& effect);
  void memory(const bin::Instr& ins, const bin::StackEffect& effect);
  void special(const bin::Instr& ins, const bin::StackEffect& effect);
  void generic_ext(const bin::Instr& ins, const bin::StackEffect& effect, ExtFn fn, bool reload);
  void throw_(const bin::Instr& ins);
  void finish_function();
  void kill();  // the rest of the frame is unreachable

  Compiled& out_;
  std::vector<Word>& code_;
  // Per function.
  uint32_t def_index_ = 0;
  size_t func_start_ = 0;
  std::vector<uint32_t> local_slot_;
  std::vector<bin::ValType> local_type_;
  uint32_t locals_end_ = 0;  // first stack slot
  uint32_t max_slot_ = 0;
  std::span<const bin::ValType> results_;
  std::vector<Entry> stack_;
  std::vector<Ctrl> ctrls_;
  std::vector<Label> labels_;
  Last last_;
  uint64_t cur_offset_ = 0;
  size_t try_first_ = 0;
  int64_t func_fuel_site_ = -1;
  uint32_t func_fuel_count_ = 0;
  // Per module.
  bool record_starts_ = false;
  std::vector<uint32_t> relocs_;   // words holding a code index, to become pointers
  std::vector<uint32_t> func_refs_;  // words holding a defined-function index, to become FuncCode*
};

}  // namespace witc::rt::detail
