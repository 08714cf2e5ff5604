// The function-body checker (core spec 3.3 and appendix "Validation
// Algorithm"): an operand stack of types and a control stack of frames.
//
// FuncValidator decodes a body with CodeReader and type-checks one
// instruction at a time; validation and compilation share it. A compiler
// passes an InstrVisitor and, for each instruction that type-checks, learns
// the operand types it consumed and produced and can inspect the control
// stack (label heights and types) to emit code — so it never re-derives
// types. Without a visitor the checker does no bookkeeping beyond typing.
// One FuncValidator can check every body of a module; its stacks are reused,
// so checking allocates nothing per instruction.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/bin/code_reader.h"
#include "witc/bin/module.h"
#include "witc/bin/validate.h"

namespace witc::bin {

enum class FrameKind : uint8_t { Function, Block, Loop, If, Else, TryTable };

// A control frame (spec: ctrl_frame).
struct Frame {
  FrameKind kind = FrameKind::Block;
  bool unreachable = false;  // the rest of the frame is dead code
  uint32_t height = 0;       // operand stack height when the frame was entered
  std::span<const ValType> params;
  std::span<const ValType> results;
  uint64_t offset = 0;       // offset of the instruction that opened it
  // The types a branch to this frame carries.
  std::span<const ValType> label_types() const {
    return kind == FrameKind::Loop ? params : results;
  }
};

// What an instruction did to the operand stack. `popped` lists the consumed
// operand types bottom first (Bottom where unreachable code had no operand);
// `pushed` the produced ones. Both are valid during the callback only.
struct StackEffect {
  std::span<const ValType> popped;
  std::span<const ValType> pushed;
};

class FuncValidator;

class InstrVisitor {
 public:
  virtual ~InstrVisitor() = default;
  // Called once before the first instruction of defined function `def_index`,
  // with the locals (parameters first) in v.locals().
  virtual Expected<void> on_function_begin(uint32_t def_index, const FuncValidator& v) {
    return {};
  }
  // Called after `ins` type-checks; v shows the state after the instruction.
  // An error aborts validation and is returned as is.
  virtual Expected<void> on_instr(const Instr& ins, const StackEffect& effect,
                                  const FuncValidator& v) = 0;
};

class FuncValidator {
 public:
  FuncValidator(const Module& m, const ModuleInfo& info, Features features);

  // Validates the body of defined function `def_index` (0 = the first entry
  // of the code section). Errors carry the context "in function N" with N
  // the function index (imports counted).
  Expected<void> validate(uint32_t def_index, InstrVisitor* visitor = nullptr);

  // State, for visitors.
  std::span<const ValType> locals() const { return locals_; }
  std::span<const ValType> operands() const { return stack_; }  // bottom first
  std::span<const Frame> frames() const { return frames_; }     // outermost first
  const Frame& frame(size_t depth) const { return frames_[frames_.size() - 1 - depth]; }
  // The frame the last `end` closed (valid in on_instr for Op::End).
  const Frame& closed_frame() const { return closed_; }

 private:
  bool step(const Instr& ins);
  bool step_special(const Instr& ins);
  bool step_plain(const Instr& ins);
  bool check_memarg(const Instr& ins, uint32_t bytes);
  bool check_memory(const Instr& ins, uint32_t mem);
  bool step_control(const Instr& ins);
  bool step_branch(const Instr& ins);
  bool step_call(const Instr& ins);
  bool step_variable(const Instr& ins);
  bool step_table(const Instr& ins);
  bool step_memory(const Instr& ins);
  bool step_reference(const Instr& ins);
  bool step_exception(const Instr& ins);
  bool block_signature(const Instr& ins, std::span<const ValType>& params,
                       std::span<const ValType>& results);

  void push(ValType t) {
    stack_.push_back(t);
    if (record_) ++pushed_;
  }
  void push_all(std::span<const ValType> ts) {
    stack_.insert(stack_.end(), ts.begin(), ts.end());
    if (record_) pushed_ += ts.size();
  }
  bool pop_any(ValType& out);
  bool pop(ValType expect);
  bool pop_all(std::span<const ValType> ts);
  bool check_top(std::span<const ValType> ts);  // like pop_all, without popping
  void set_unreachable();
  void push_frame(FrameKind kind, std::span<const ValType> params,
                  std::span<const ValType> results, uint64_t offset);
  bool end_frame();

  bool error(std::string msg);
  bool pop_error(ValType expect, ValType found, bool empty);
  ValType addr_of_memory(uint32_t mem) const;
  ValType addr_of_table(uint32_t table) const;

  const Module& m_;
  const ModuleInfo& info_;
  Features features_;
  std::vector<ValType> locals_;
  std::vector<ValType> stack_;
  std::vector<Frame> frames_;
  Frame closed_;
  const Instr* ins_ = nullptr;
  ValType addr_ = ValType::I32;  // the memory address type of the current instruction
  bool record_ = false;
  size_t pushed_ = 0;
  std::vector<ValType> popped_;
  Diagnostic err_;
};

}  // namespace witc::bin
