// Type-checking function bodies (core spec 3.3, appendix A.3 "Validation
// Algorithm"). Hot paths return bool and leave the error in err_, so checking
// a valid body constructs no Diagnostic and allocates nothing.
#include "witc/bin/func_validator.h"

#include <algorithm>
#include <bit>

#include <fmt/format.h>

#include "witc/bin/limits.h"

namespace witc::bin {

namespace {

constexpr ValType kSigVal[] = {ValType::I32, ValType::I64, ValType::F32, ValType::F64,
                               ValType::V128};

// Storage for one-type spans (a block type with a single result).
constexpr std::array<ValType, 256> kSingle = [] {
  std::array<ValType, 256> a{};
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<ValType>(i);
  return a;
}();

std::span<const ValType> single(ValType t) { return {&kSingle[static_cast<uint8_t>(t)], 1}; }

std::string types_str(std::span<const ValType> ts) {
  std::string s = "[";
  for (size_t i = 0; i < ts.size(); ++i) {
    if (i) s += ' ';
    s += to_string(ts[i]);
  }
  return s + "]";
}

bool matches(ValType actual, ValType expect) {
  return actual == expect || actual == ValType::Bottom || expect == ValType::Bottom;
}

}  // namespace

FuncValidator::FuncValidator(const Module& m, const ModuleInfo& info, Features features)
    : m_(m), info_(info), features_(features) {
  stack_.reserve(256);
  frames_.reserve(64);
}

Expected<void> FuncValidator::validate(uint32_t def_index, InstrVisitor* visitor) {
  const uint32_t func = info_.imported_funcs + def_index;
  auto in_func = [func](Diagnostic d) {
    return fail(std::move(d).with_context(fmt::format("in function {}", func)));
  };
  if (def_index >= m_.codes.size() || func >= info_.funcs.size()) {
    return in_func(Diagnostic::plain("no such function body"));
  }
  const Code& code = m_.codes[def_index];
  const FuncType& ft = info_.func_type(m_, func);
  locals_.assign(ft.params.begin(), ft.params.end());
  CodeReader rd(m_.bytes(code.body), code.offset, features_);
  if (auto r = rd.read_locals(locals_); !r) return in_func(std::move(r.error()));
  stack_.clear();
  frames_.clear();
  record_ = visitor != nullptr;
  push_frame(FrameKind::Function, {}, ft.results, code.offset);
  if (visitor) {
    if (auto r = visitor->on_function_begin(def_index, *this); !r) return r;
  }
  Instr ins;
  ins_ = &ins;
  while (!frames_.empty()) {
    if (rd.at_end()) return in_func(Diagnostic::at_offset(rd.offset(), "END opcode expected"));
    if (auto r = rd.next(ins); !r) return in_func(std::move(r.error()));
    if (record_) {
      popped_.clear();
      pushed_ = 0;
    }
    if (!step(ins)) return in_func(std::move(err_));
    if (visitor) {
      std::reverse(popped_.begin(), popped_.end());
      StackEffect effect{popped_, std::span<const ValType>(stack_).last(pushed_)};
      if (auto r = visitor->on_instr(ins, effect, *this); !r) return r;
    }
  }
  if (!rd.at_end()) {
    return in_func(Diagnostic::at_offset(rd.offset(), "operators remaining after end of function"));
  }
  return {};
}

// ---- operand and control stacks ---------------------------------------------

bool FuncValidator::error(std::string msg) {
  err_ = Diagnostic::at_offset(ins_->offset, std::move(msg));
  return false;
}

bool FuncValidator::pop_error(ValType expect, ValType found, bool empty) {
  std::string_view op = op_name(ins_->op);
  std::string want = expect == ValType::Bottom ? "a value" : std::string(to_string(expect));
  if (empty) return error(fmt::format("type mismatch in {}: expected {}, but the stack is empty", op, want));
  return error(fmt::format("type mismatch in {}: expected {}, found {}", op, want, to_string(found)));
}

bool FuncValidator::pop_any(ValType& out) {
  Frame& f = frames_.back();
  if (stack_.size() == f.height) {
    if (!f.unreachable) return pop_error(ValType::Bottom, ValType::Bottom, true);
    out = ValType::Bottom;
  } else {
    out = stack_.back();
    stack_.pop_back();
  }
  if (record_) popped_.push_back(out);
  return true;
}

bool FuncValidator::pop(ValType expect) {
  Frame& f = frames_.back();
  if (stack_.size() > f.height) {
    ValType t = stack_.back();
    if (!matches(t, expect)) return pop_error(expect, t, false);
    stack_.pop_back();
    if (record_) popped_.push_back(t);
    return true;
  }
  if (!f.unreachable) return pop_error(expect, ValType::Bottom, true);
  if (record_) popped_.push_back(ValType::Bottom);
  return true;
}

bool FuncValidator::pop_all(std::span<const ValType> ts) {
  for (size_t i = ts.size(); i-- > 0;) {
    if (!pop(ts[i])) return false;
  }
  return true;
}

bool FuncValidator::check_top(std::span<const ValType> ts) {
  const Frame& f = frames_.back();
  size_t avail = stack_.size() - f.height;
  for (size_t i = 0; i < ts.size(); ++i) {
    ValType expect = ts[ts.size() - 1 - i];
    if (i >= avail) {
      if (f.unreachable) break;
      return pop_error(expect, ValType::Bottom, true);
    }
    ValType t = stack_[stack_.size() - 1 - i];
    if (!matches(t, expect)) return pop_error(expect, t, false);
  }
  return true;
}

void FuncValidator::set_unreachable() {
  Frame& f = frames_.back();
  stack_.resize(f.height);
  f.unreachable = true;
}

void FuncValidator::push_frame(FrameKind kind, std::span<const ValType> params,
                               std::span<const ValType> results, uint64_t offset) {
  Frame f;
  f.kind = kind;
  f.height = static_cast<uint32_t>(stack_.size());
  f.params = params;
  f.results = results;
  f.offset = offset;
  frames_.push_back(f);
}

bool FuncValidator::end_frame() {
  const Frame& f = frames_.back();
  if (!pop_all(f.results)) return false;
  if (stack_.size() != f.height) {
    return error(fmt::format("type mismatch in end: {} value(s) left on the stack, expected {}",
                             stack_.size() - f.height + f.results.size(), types_str(f.results)));
  }
  if (f.kind == FrameKind::If && !std::ranges::equal(f.params, f.results)) {
    return error(fmt::format("type mismatch in if without else: parameters {} differ from results {}",
                             types_str(f.params), types_str(f.results)));
  }
  closed_ = f;
  frames_.pop_back();
  if (!frames_.empty()) push_all(closed_.results);
  return true;
}

ValType FuncValidator::addr_of_memory(uint32_t mem) const {
  return info_.memories[mem].limits.is64 ? ValType::I64 : ValType::I32;
}

ValType FuncValidator::addr_of_table(uint32_t table) const {
  return info_.tables[table].limits.is64 ? ValType::I64 : ValType::I32;
}

// ---- instructions -----------------------------------------------------------

bool FuncValidator::step(const Instr& ins) {
  const OpInfo& info = op_info(ins.op);
  return info.sig.special ? step_special(ins) : step_plain(ins);
}

bool FuncValidator::check_memory(const Instr& ins, uint32_t mem) {
  if (mem >= info_.memories.size()) return error(fmt::format("unknown memory {}", mem));
  addr_ = addr_of_memory(mem);
  return true;
}

bool FuncValidator::check_memarg(const Instr& ins, uint32_t bytes) {
  if (!check_memory(ins, ins.mem.memory)) return false;
  if (ins.mem.align > static_cast<uint32_t>(std::countr_zero(bytes))) {
    return error("alignment must not be larger than natural");
  }
  if (addr_ == ValType::I32 && ins.mem.offset > UINT32_MAX) {
    return error("offset out of range: must be at most 2^32-1 for a 32-bit memory");
  }
  return true;
}

bool FuncValidator::step_plain(const Instr& ins) {
  const OpInfo& info = op_info(ins.op);
  switch (info.imm) {
    case Imm::MemArg:
      if (!check_memarg(ins, info.arg)) return false;
      break;
    case Imm::MemArgLane:
      if (!check_memarg(ins, info.arg)) return false;
      if (ins.lane >= 16 / info.arg) return error("invalid lane index");
      break;
    case Imm::MemInit:
      if (!check_memory(ins, ins.mem.memory)) return false;
      if (!info_.data_count) return error("data count section required");
      if (ins.index >= *info_.data_count) return error(fmt::format("unknown data segment {}", ins.index));
      break;
    case Imm::Mem:
      if (!check_memory(ins, ins.mem.memory)) return false;
      break;
    case Imm::Lane:
      if (ins.lane >= info.arg) return error("invalid lane index");
      break;
    case Imm::Shuffle:
      for (uint8_t lane : ins.v128) {
        if (lane >= 32) return error("invalid lane index");
      }
      break;
    default: break;
  }
  const OpSig& s = info.sig;
  auto resolve = [this](SigType t) {
    return t == SigType::Addr ? addr_ : kSigVal[static_cast<size_t>(t)];
  };
  for (size_t i = s.n_params; i-- > 0;) {
    if (!pop(resolve(s.params[i]))) return false;
  }
  if (s.n_results) push(resolve(s.result));
  return true;
}

bool FuncValidator::step_special(const Instr& ins) {
  switch (ins.op) {
    case Op::Unreachable: set_unreachable(); return true;
    case Op::Block:
    case Op::Loop:
    case Op::If:
    case Op::Else:
    case Op::End:
    case Op::TryTable: return step_control(ins);
    case Op::Br:
    case Op::BrIf:
    case Op::BrTable:
    case Op::Return: return step_branch(ins);
    case Op::Call:
    case Op::CallIndirect:
    case Op::ReturnCall:
    case Op::ReturnCallIndirect: return step_call(ins);
    case Op::Drop:
    case Op::Select:
    case Op::SelectT:
    case Op::LocalGet:
    case Op::LocalSet:
    case Op::LocalTee:
    case Op::GlobalGet:
    case Op::GlobalSet: return step_variable(ins);
    case Op::TableGet:
    case Op::TableSet:
    case Op::TableInit:
    case Op::ElemDrop:
    case Op::TableCopy:
    case Op::TableGrow:
    case Op::TableSize:
    case Op::TableFill: return step_table(ins);
    case Op::DataDrop:
    case Op::MemoryCopy: return step_memory(ins);
    case Op::RefNull:
    case Op::RefIsNull:
    case Op::RefFunc: return step_reference(ins);
    case Op::Throw:
    case Op::ThrowRef: return step_exception(ins);
    default: return error(fmt::format("internal error: no typing rule for {}", op_name(ins.op)));
  }
}

bool FuncValidator::block_signature(const Instr& ins, std::span<const ValType>& params,
                                    std::span<const ValType>& results) {
  switch (ins.block.kind) {
    case BlockType::Kind::Empty: params = {}; results = {}; return true;
    case BlockType::Kind::Value: params = {}; results = single(ins.block.value); return true;
    case BlockType::Kind::Index:
      if (ins.block.index >= m_.types.size()) return error(fmt::format("unknown type {}", ins.block.index));
      params = m_.types[ins.block.index].params;
      results = m_.types[ins.block.index].results;
      return true;
  }
  return false;
}

bool FuncValidator::step_control(const Instr& ins) {
  if (ins.op == Op::End) return end_frame();
  if (ins.op == Op::Else) {
    Frame& f = frames_.back();
    if (f.kind != FrameKind::If) return error("else without matching if");
    if (!pop_all(f.results)) return false;
    if (stack_.size() != f.height) {
      return error(fmt::format("type mismatch in else: {} value(s) left on the stack, expected {}",
                               stack_.size() - f.height + f.results.size(), types_str(f.results)));
    }
    f.kind = FrameKind::Else;
    f.unreachable = false;
    push_all(f.params);
    return true;
  }
  std::span<const ValType> params, results;
  if (!block_signature(ins, params, results)) return false;
  if (ins.op == Op::If && !pop(ValType::I32)) return false;
  if (ins.op == Op::TryTable && !step_exception(ins)) return false;  // the catch clauses
  if (!pop_all(params)) return false;
  if (frames_.size() >= limits::kControlDepth) {
    return error(fmt::format("control frames nested too deeply (the limit is {})", limits::kControlDepth));
  }
  FrameKind kind = ins.op == Op::Block  ? FrameKind::Block
                   : ins.op == Op::Loop ? FrameKind::Loop
                   : ins.op == Op::If   ? FrameKind::If
                                        : FrameKind::TryTable;
  push_frame(kind, params, results, ins.offset);
  push_all(params);
  return true;
}

bool FuncValidator::step_branch(const Instr& ins) {
  auto label = [&](uint32_t depth, std::span<const ValType>& types) {
    if (depth >= frames_.size()) return error(fmt::format("unknown label {}", depth));
    types = frame(depth).label_types();
    return true;
  };
  std::span<const ValType> types;
  switch (ins.op) {
    case Op::Br:
      if (!label(ins.index, types) || !pop_all(types)) return false;
      set_unreachable();
      return true;
    case Op::BrIf:
      if (!label(ins.index, types) || !pop(ValType::I32) || !pop_all(types)) return false;
      push_all(types);
      return true;
    case Op::BrTable: {
      if (!pop(ValType::I32) || !label(ins.index, types)) return false;
      // Labels with the very same type list as the default (checked by the
      // pop below) or the previous target need no second look.
      std::span<const ValType> last = types;
      for (uint32_t target : ins.targets) {
        std::span<const ValType> t;
        if (!label(target, t)) return false;
        if (t.size() != types.size()) {
          return error(fmt::format("type mismatch in br_table: label {} carries {} value(s), the default {}",
                                   target, t.size(), types.size()));
        }
        bool same = (t.data() == types.data()) || (t.data() == last.data());
        if (!same && !check_top(t)) return false;
        last = t;
      }
      if (!pop_all(types)) return false;
      set_unreachable();
      return true;
    }
    default:  // Return
      if (!pop_all(frames_.front().results)) return false;
      set_unreachable();
      return true;
  }
}

bool FuncValidator::step_call(const Instr& ins) {
  const FuncType* ft = nullptr;
  if (ins.op == Op::Call || ins.op == Op::ReturnCall) {
    if (ins.index >= info_.funcs.size()) return error(fmt::format("unknown function {}", ins.index));
    ft = &info_.func_type(m_, ins.index);
  } else {
    if (ins.index2 >= info_.tables.size()) return error(fmt::format("unknown table {}", ins.index2));
    if (info_.tables[ins.index2].elem != ValType::FuncRef) {
      return error(fmt::format("type mismatch in {}: table {} holds {}, not funcref", op_name(ins.op),
                               ins.index2, to_string(info_.tables[ins.index2].elem)));
    }
    if (ins.index >= m_.types.size()) return error(fmt::format("unknown type {}", ins.index));
    ft = &m_.types[ins.index];
    if (!pop(addr_of_table(ins.index2))) return false;
  }
  bool tail = ins.op == Op::ReturnCall || ins.op == Op::ReturnCallIndirect;
  if (tail && !std::ranges::equal(ft->results, frames_.front().results)) {
    return error(fmt::format("type mismatch in {}: the callee returns {}, the function {}",
                             op_name(ins.op), types_str(ft->results),
                             types_str(frames_.front().results)));
  }
  if (!pop_all(ft->params)) return false;
  if (tail) {
    set_unreachable();
  } else {
    push_all(ft->results);
  }
  return true;
}

bool FuncValidator::step_variable(const Instr& ins) {
  switch (ins.op) {
    case Op::Drop: {
      ValType t;
      return pop_any(t);
    }
    case Op::Select: {
      ValType t1, t2;
      if (!pop(ValType::I32) || !pop_any(t1) || !pop_any(t2)) return false;
      if (is_ref(t1) || is_ref(t2)) {
        return error("type mismatch in select: reference operands need a select with a type");
      }
      if (t1 != t2 && t1 != ValType::Bottom && t2 != ValType::Bottom) {
        return error(fmt::format("type mismatch in select: operands {} and {} differ", to_string(t2),
                                 to_string(t1)));
      }
      push(t1 == ValType::Bottom ? t2 : t1);
      return true;
    }
    case Op::SelectT: {
      if (ins.types.size() != 1) return error("invalid result arity");
      ValType t = ins.types[0];
      if (!pop(ValType::I32) || !pop(t) || !pop(t)) return false;
      push(t);
      return true;
    }
    case Op::LocalGet:
    case Op::LocalSet:
    case Op::LocalTee: {
      if (ins.index >= locals_.size()) return error(fmt::format("unknown local {}", ins.index));
      ValType t = locals_[ins.index];
      if (ins.op != Op::LocalGet && !pop(t)) return false;
      if (ins.op != Op::LocalSet) push(t);
      return true;
    }
    default: {  // GlobalGet, GlobalSet
      if (ins.index >= info_.globals.size()) return error(fmt::format("unknown global {}", ins.index));
      const GlobalType& g = info_.globals[ins.index];
      if (ins.op == Op::GlobalGet) {
        push(g.type);
        return true;
      }
      if (!g.mut) return error("global is immutable");
      return pop(g.type);
    }
  }
}

bool FuncValidator::step_table(const Instr& ins) {
  auto table = [&](uint32_t idx) {
    if (idx >= info_.tables.size()) return error(fmt::format("unknown table {}", idx));
    return true;
  };
  auto elem = [&](uint32_t idx) {
    if (idx >= info_.elems.size()) return error(fmt::format("unknown elem segment {}", idx));
    return true;
  };
  switch (ins.op) {
    case Op::ElemDrop: return elem(ins.index);
    case Op::TableInit: {
      if (!table(ins.index2) || !elem(ins.index)) return false;
      if (info_.elems[ins.index] != info_.tables[ins.index2].elem) {
        return error(fmt::format("type mismatch in table.init: segment of {}, table of {}",
                                 to_string(info_.elems[ins.index]),
                                 to_string(info_.tables[ins.index2].elem)));
      }
      return pop(ValType::I32) && pop(ValType::I32) && pop(addr_of_table(ins.index2));
    }
    case Op::TableCopy: {
      if (!table(ins.index) || !table(ins.index2)) return false;
      const TableType& dst = info_.tables[ins.index];
      const TableType& src = info_.tables[ins.index2];
      if (dst.elem != src.elem) {
        return error(fmt::format("type mismatch in table.copy: from {} to {}", to_string(src.elem),
                                 to_string(dst.elem)));
      }
      ValType n = dst.limits.is64 && src.limits.is64 ? ValType::I64 : ValType::I32;
      return pop(n) && pop(addr_of_table(ins.index2)) && pop(addr_of_table(ins.index));
    }
    default: break;
  }
  if (!table(ins.index)) return false;
  ValType addr = addr_of_table(ins.index);
  ValType ref = info_.tables[ins.index].elem;
  switch (ins.op) {
    case Op::TableGet:
      if (!pop(addr)) return false;
      push(ref);
      return true;
    case Op::TableSet: return pop(ref) && pop(addr);
    case Op::TableSize: push(addr); return true;
    case Op::TableGrow:
      if (!pop(addr) || !pop(ref)) return false;
      push(addr);
      return true;
    default: return pop(addr) && pop(ref) && pop(addr);  // TableFill
  }
}

bool FuncValidator::step_memory(const Instr& ins) {
  if (ins.op == Op::DataDrop) {
    if (!info_.data_count) return error("data count section required");
    if (ins.index >= *info_.data_count) return error(fmt::format("unknown data segment {}", ins.index));
    return true;
  }
  // MemoryCopy: destination mem.memory, source index2.
  if (!check_memory(ins, ins.mem.memory) || !check_memory(ins, ins.index2)) return false;
  ValType dst = addr_of_memory(ins.mem.memory);
  ValType src = addr_of_memory(ins.index2);
  ValType n = dst == ValType::I64 && src == ValType::I64 ? ValType::I64 : ValType::I32;
  return pop(n) && pop(src) && pop(dst);
}

bool FuncValidator::step_reference(const Instr& ins) {
  switch (ins.op) {
    case Op::RefNull: push(ins.type); return true;
    case Op::RefIsNull: {
      ValType t;
      if (!pop_any(t)) return false;
      if (t != ValType::Bottom && !is_ref(t)) {
        return error(fmt::format("type mismatch in ref.is_null: expected a reference, found {}", to_string(t)));
      }
      push(ValType::I32);
      return true;
    }
    default:  // RefFunc
      if (ins.index >= info_.funcs.size()) return error(fmt::format("unknown function {}", ins.index));
      if (!info_.declared_funcs[ins.index]) return error("undeclared function reference");
      push(ValType::FuncRef);
      return true;
  }
}

bool FuncValidator::step_exception(const Instr& ins) {
  auto tag_params = [&](uint32_t tag, std::span<const ValType>& params) {
    if (tag >= info_.tags.size()) return error(fmt::format("unknown tag {}", tag));
    params = m_.types[info_.tags[tag].index].params;
    return true;
  };
  std::span<const ValType> params;
  switch (ins.op) {
    case Op::Throw:
      if (!tag_params(ins.index, params) || !pop_all(params)) return false;
      set_unreachable();
      return true;
    case Op::ThrowRef:
      if (!pop(ValType::ExnRef)) return false;
      set_unreachable();
      return true;
    default: break;
  }
  // TryTable's catch clauses; labels count from outside the try_table.
  for (const Catch& c : ins.catches) {
    params = {};
    if ((c.kind == Catch::Kind::Catch || c.kind == Catch::Kind::CatchRef) && !tag_params(c.tag, params)) {
      return false;
    }
    if (c.label >= frames_.size()) return error(fmt::format("unknown label {}", c.label));
    auto label = frame(c.label).label_types();
    bool ref = c.kind == Catch::Kind::CatchRef || c.kind == Catch::Kind::CatchAllRef;
    bool ok = label.size() == params.size() + (ref ? 1 : 0) &&
              std::equal(params.begin(), params.end(), label.begin()) &&
              (!ref || label.back() == ValType::ExnRef);
    if (!ok) {
      return error(fmt::format("type mismatch in catch clause: label {} expects {}", c.label,
                               types_str(label)));
    }
  }
  return true;
}

}  // namespace witc::bin
