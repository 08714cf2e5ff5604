// The compiler's emission primitives, operand stack and control flow
// (see compiler.h for the scheme).
#include "compiler.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace witc::rt::detail {

using bin::FrameKind;
using bin::Op;
using bin::ValType;

namespace {

typedef uint32_t __attribute__((may_alias)) u32_alias;

bool is_structural(Op op) {
  return op == Op::Block || op == Op::Loop || op == Op::If || op == Op::Else || op == Op::End ||
         op == Op::TryTable;
}

}  // namespace

Compiler::Compiler(Compiled& out) : out_(out), code_(out.code) {
  out_.funcs.resize(out_.binary.codes.size());
  const char* dump = std::getenv("WITC_DUMP_CODE");
  record_starts_ = dump && *dump && *dump != '0';
}

// ---- emission ---------------------------------------------------------------

void Compiler::record_pc(size_t start) {
  auto& map = out_.pc_map;
  uint32_t off = static_cast<uint32_t>(cur_offset_);
  if (map.empty() || map.back().offset != off) map.push_back({static_cast<uint32_t>(start), off});
}

size_t Compiler::emit(IOp op, std::initializer_list<uint32_t> u32s, std::initializer_list<uint64_t> u64s) {
  last_.valid = false;
  size_t start = code_.size();
  Emitted h;
  h.start = start;
  h.pc_entries = out_.pc_map.size();
  h.op = op;
  h.offset = cur_offset_;
  size_t k = 0;
  for (uint32_t v : u32s) {
    if (k < 4) h.f[k++] = v;
  }
  if (hist_n_ == kHistory) {
    for (size_t i = 1; i < kHistory; ++i) hist_[i - 1] = hist_[i];
    --hist_n_;
  }
  hist_[hist_n_++] = h;
  record_pc(start);
  if (record_starts_) out_.starts.push_back(static_cast<uint32_t>(start));
  code_.push_back(handler(op));
  size_t base = code_.size();
  code_.resize(base + (u32s.size() + 1) / 2, 0);
  auto* p = reinterpret_cast<u32_alias*>(code_.data() + base);
  for (uint32_t v : u32s) *p++ = v;
  for (uint64_t w : u64s) code_.push_back(w);
  return start;
}

size_t Compiler::emit_ext(IOp op, ExtFn fn, std::span<const uint32_t> ops) {
  last_.valid = false;
  size_t start = code_.size();
  Emitted h;
  h.start = start;
  h.pc_entries = out_.pc_map.size();
  h.op = op;
  if (hist_n_ == kHistory) {
    for (size_t i = 1; i < kHistory; ++i) hist_[i - 1] = hist_[i];
    --hist_n_;
  }
  hist_[hist_n_++] = h;
  record_pc(start);
  if (record_starts_) out_.starts.push_back(static_cast<uint32_t>(start));
  code_.push_back(handler(op));
  code_.push_back(reinterpret_cast<Word>(fn));
  size_t n = ops.size() + 1;
  size_t base = code_.size();
  code_.resize(base + (n + 1) / 2, 0);
  auto* p = reinterpret_cast<u32_alias*>(code_.data() + base);
  *p++ = static_cast<uint32_t>(code_.size() - start);  // instruction length in words
  for (uint32_t v : ops) *p++ = v;
  return start;
}

void Compiler::set_last_result(size_t start, size_t dst_field) {
  last_ = Last{};
  last_.valid = true;
  last_.start = start;
  last_.dst_field = dst_field;
  last_.dst_slot = reinterpret_cast<const u32_alias*>(code_.data())[last_.dst_field];
}

uint32_t Compiler::new_label() {
  labels_.push_back(Label{});
  return static_cast<uint32_t>(labels_.size() - 1);
}

void Compiler::branch_to(uint32_t label, size_t word) {
  Label& l = labels_[label];
  l.used = true;
  relocs_.push_back(static_cast<uint32_t>(word));
  if (l.pos >= 0) {
    code_[word] = static_cast<Word>(l.pos);
  } else {
    l.fixups.push_back(static_cast<uint32_t>(word));
  }
}

void Compiler::bind(uint32_t label) {
  Label& l = labels_[label];
  l.pos = static_cast<int64_t>(code_.size());
  for (uint32_t w : l.fixups) code_[w] = static_cast<Word>(l.pos);
  l.fixups.clear();
  last_.valid = false;
  hist_n_ = 0;  // nothing fuses across a label
}

// ---- the compile-time operand stack -------------------------------------------

uint32_t Compiler::next_slot() const {
  if (stack_.empty()) return locals_end_;
  const Entry& e = stack_.back();
  return e.slot + slot_width(e.type);
}

Compiler::Entry& Compiler::push(ValType t) {
  Entry e;
  e.type = t;
  e.slot = next_slot();
  max_slot_ = std::max(max_slot_, e.slot + slot_width(t));
  stack_.push_back(e);
  return stack_.back();
}

Compiler::Entry Compiler::pop() {
  Entry e = stack_.back();
  stack_.pop_back();
  return e;
}

void Compiler::move_to(uint32_t dst, const Entry& e) {
  bool wide = slot_width(e.type) == 2;
  switch (e.kind) {
    case Kind::Slot:
      if (e.slot != dst) emit(wide ? IOp::Copy128 : IOp::Copy, {dst, e.slot});
      break;
    case Kind::Local:
      if (e.local != dst) emit(wide ? IOp::Copy128 : IOp::Copy, {dst, e.local});
      break;
    case Kind::Const:
      if (wide) {
        emit(IOp::Const128, {dst}, {e.c0, e.c1});
      } else if (e.c0 <= UINT32_MAX) {
        emit(IOp::Const32, {dst, static_cast<uint32_t>(e.c0)});
      } else {
        emit(IOp::Const64, {dst}, {e.c0});
      }
      break;
  }
}

void Compiler::materialize(Entry& e) {
  if (e.kind == Kind::Slot) return;
  move_to(e.slot, e);
  e.kind = Kind::Slot;
}

uint32_t Compiler::use(Entry& e) {
  if (e.kind == Kind::Const) materialize(e);
  return e.kind == Kind::Local ? e.local : e.slot;
}

void Compiler::materialize_locals() {
  for (Entry& e : stack_) {
    if (e.kind == Kind::Local) materialize(e);
  }
}

void Compiler::materialize_local(uint32_t local_slot) {
  for (Entry& e : stack_) {
    if (e.kind == Kind::Local && e.local == local_slot) materialize(e);
  }
}

void Compiler::move_top_to(uint32_t n, uint32_t dst) {
  for (size_t i = stack_.size() - n; i < stack_.size(); ++i) {
    move_to(dst, stack_[i]);
    dst += slot_width(stack_[i].type);
  }
}

bool Compiler::top_in_place(uint32_t n, uint32_t dst) const {
  for (size_t i = stack_.size() - n; i < stack_.size(); ++i) {
    const Entry& e = stack_[i];
    if (e.kind != Kind::Slot || e.slot != dst) return false;
    dst += slot_width(e.type);
  }
  return true;
}

void Compiler::kill() {
  ctrls_.back().dead = true;
  last_.valid = false;
}

// ---- functions ---------------------------------------------------------------

Expected<void> Compiler::on_function_begin(uint32_t def_index, const bin::FuncValidator& v) {
  def_index_ = def_index;
  func_start_ = code_.size();
  const bin::Module& m = out_.binary;
  uint32_t func = out_.info.imported_funcs + def_index;
  const bin::FuncType& ft = out_.info.func_type(m, func);
  local_slot_.clear();
  local_type_.clear();
  uint32_t slot = 0;
  for (ValType t : v.locals()) {
    local_slot_.push_back(slot);
    local_type_.push_back(t);
    slot += slot_width(t);
  }
  locals_end_ = slot;
  max_slot_ = slot;
  results_ = ft.results;
  stack_.clear();
  ctrls_.clear();
  labels_.clear();
  last_ = Last{};
  try_first_ = out_.tries.size();

  FuncCode& fc = out_.funcs[def_index];
  fc.func_index = func;
  fc.type_id = out_.type_ids[out_.info.funcs[func].index];
  fc.param_slots = slot_count(ft.params);
  fc.local_slots = locals_end_;
  fc.result_slots = slot_count(ft.results);
  fc.code_begin = static_cast<uint32_t>(func_start_);

  Ctrl c;
  c.kind = FrameKind::Function;
  c.base = locals_end_;
  c.results = ft.results;
  c.label = new_label();
  ctrls_.push_back(std::move(c));

  cur_offset_ = m.codes[def_index].offset;
  func_fuel_site_ = -1;
  func_fuel_count_ = 0;
  if (out_.config.consume_fuel) func_fuel_site_ = static_cast<int64_t>(emit(IOp::Fuel, {0}) + 1);
  return {};
}

void Compiler::finish_function() {
  FuncCode& fc = out_.funcs[def_index_];
  for (const Label& l : labels_) {
    // Every branch targets a label of an enclosing frame, and every frame
    // ends, so every used label is bound.
    if (!l.fixups.empty()) std::abort();
  }
  for (size_t i = try_first_; i < out_.tries.size(); ++i) {
    const TryRegion& r = out_.tries[i];
    for (uint32_t k = 0; k < r.n_catches; ++k) {
      CatchClause& c = out_.catches[r.first_catch + k];
      c.label = static_cast<uint32_t>(labels_[c.label].pos);
    }
  }
  if (func_fuel_site_ >= 0) {
    auto* p = reinterpret_cast<u32_alias*>(code_.data() + func_fuel_site_);
    *p = std::max<uint32_t>(func_fuel_count_, 1);
  }
  fc.code_end = static_cast<uint32_t>(code_.size());
  fc.frame_slots = std::max({max_slot_, fc.result_slots, locals_end_});
  fc.try_begin = static_cast<uint32_t>(try_first_);
  fc.try_end = static_cast<uint32_t>(out_.tries.size());
}

void Compiler::finish_module() {
  Word* base = code_.data();
  for (uint32_t w : relocs_) code_[w] = reinterpret_cast<Word>(base + code_[w]);
  for (uint32_t w : func_refs_) code_[w] = reinterpret_cast<Word>(&out_.funcs[code_[w]]);
  for (FuncCode& fc : out_.funcs) fc.code = base + fc.code_begin;
  for (CatchClause& c : out_.catches) c.target = base + c.label;
}

// ---- instructions -------------------------------------------------------------

Expected<void> Compiler::on_instr(const bin::Instr& ins, const bin::StackEffect& effect,
                                  const bin::FuncValidator& v) {
  cur_offset_ = ins.offset;
  Ctrl& cur = ctrls_.back();
  if (is_structural(ins.op)) return control(ins, v);
  if (cur.dead) return {};
  // Fuel: one unit per instruction, charged at the enclosing loop header or
  // the function entry.
  if (func_fuel_site_ >= 0) {
    uint32_t* counter = &func_fuel_count_;
    for (size_t i = ctrls_.size(); i-- > 0;) {
      if (ctrls_[i].fuel_site >= 0) {
        counter = &ctrls_[i].fuel_count;
        break;
      }
    }
    ++*counter;
  }
  if (ins.op == Op::Nop) return {};
  const bin::OpInfo& info = bin::op_info(ins.op);
  if (!info.sig.special) {
    if (info.imm == bin::Imm::MemArg || info.imm == bin::Imm::MemArgLane || info.imm == bin::Imm::Mem ||
        info.imm == bin::Imm::MemInit) {
      memory(ins, effect);
    } else {
      numeric(ins, effect);
    }
    return {};
  }
  switch (ins.op) {
    case Op::Unreachable:
      emit(IOp::Unreachable, {});
      kill();
      break;
    case Op::Br: branch(ins.index); break;
    case Op::BrIf: cond_branch(ins.index); break;
    case Op::BrTable: br_table(ins); break;
    case Op::Return:
      emit_return();
      kill();
      break;
    case Op::Call:
    case Op::CallIndirect:
    case Op::ReturnCall:
    case Op::ReturnCallIndirect: call(ins); break;
    case Op::Drop:
    case Op::Select:
    case Op::SelectT:
    case Op::LocalGet:
    case Op::LocalSet:
    case Op::LocalTee:
    case Op::GlobalGet:
    case Op::GlobalSet: variable(ins, effect); break;
    case Op::Throw:
    case Op::ThrowRef: throw_(ins); break;
    default: special(ins, effect); break;
  }
  return {};
}

Expected<void> Compiler::control(const bin::Instr& ins, const bin::FuncValidator& v) {
  if (ins.op == Op::End) {
    end_frame();
    return {};
  }
  if (ins.op == Op::Else) {
    Ctrl& c = ctrls_.back();
    bool live_entry = c.live_entry;
    if (live_entry) {
      if (!c.dead) {
        move_top_to(static_cast<uint32_t>(c.results.size()), c.base);
        size_t s = emit(IOp::Br, {}, {0});
        branch_to(c.label, s + 1);
      }
      bind(c.else_label);
      stack_.resize(c.height);
      for (ValType t : c.params) push(t);
    }
    c.kind = FrameKind::Else;
    c.dead = !live_entry;
    return {};
  }
  // Block, Loop, If, TryTable: the validator has pushed the new frame.
  const bin::Frame& f = v.frame(0);
  Ctrl nc;
  nc.kind = f.kind;
  nc.params = f.params;
  nc.results = f.results;
  if (ctrls_.back().dead) {
    nc.live_entry = false;
    nc.dead = true;
    ctrls_.push_back(std::move(nc));
    return {};
  }
  // Fuel: the block instruction itself counts in the enclosing region.
  if (func_fuel_site_ >= 0) {
    uint32_t* counter = &func_fuel_count_;
    for (size_t i = ctrls_.size(); i-- > 0;) {
      if (ctrls_[i].fuel_site >= 0) {
        counter = &ctrls_[i].fuel_count;
        break;
      }
    }
    ++*counter;
  }
  Entry cond;
  if (ins.op == Op::If) cond = pop();
  nc.height = static_cast<uint32_t>(stack_.size() - f.params.size());
  nc.base = nc.height == 0 ? locals_end_ : stack_[nc.height - 1].slot + slot_width(stack_[nc.height - 1].type);
  nc.label = new_label();
  materialize_locals();
  if (ins.op == Op::Loop || ins.op == Op::If) {
    for (size_t i = nc.height; i < stack_.size(); ++i) materialize(stack_[i]);
  }
  switch (ins.op) {
    case Op::Loop:
      bind(nc.label);
      if (func_fuel_site_ >= 0) nc.fuel_site = static_cast<int64_t>(emit(IOp::Fuel, {0}) + 1);
      break;
    case Op::If:
      nc.else_label = new_label();
      emit_cond_jump(cond, false, nc.else_label);
      break;
    case Op::TryTable:
      for (const bin::Catch& c : ins.catches) {
        Ctrl& t = target(c.label);  // relative to the frames outside the try_table
        CatchClause cc;
        cc.kind = c.kind;
        cc.tag = c.tag;
        cc.label = t.label;
        cc.dst = t.base;
        labels_[t.label].used = true;
        nc.catches.push_back(cc);
      }
      last_.valid = false;
      nc.try_begin = static_cast<uint32_t>(code_.size());
      break;
    default: break;
  }
  ctrls_.push_back(std::move(nc));
  return {};
}

void Compiler::end_frame() {
  Ctrl c = std::move(ctrls_.back());
  if (c.kind == FrameKind::Function) {
    if (!c.dead) emit_return();
    finish_function();
    ctrls_.pop_back();
    return;
  }
  ctrls_.pop_back();
  if (!c.live_entry) return;  // the whole frame was unreachable; so is what follows
  bool reach = !c.dead;
  if (!c.dead) move_top_to(static_cast<uint32_t>(c.results.size()), c.base);
  if (c.kind == FrameKind::TryTable) {
    TryRegion r;
    r.begin = c.try_begin;
    r.end = static_cast<uint32_t>(code_.size());
    r.first_catch = static_cast<uint32_t>(out_.catches.size());
    r.n_catches = static_cast<uint32_t>(c.catches.size());
    out_.catches.insert(out_.catches.end(), c.catches.begin(), c.catches.end());
    out_.tries.push_back(r);
  }
  if (c.kind == FrameKind::If) {  // no else: the false path falls through
    bind(c.else_label);
    reach = true;
  }
  if (c.kind == FrameKind::Loop) {
    if (c.fuel_site >= 0) {
      auto* p = reinterpret_cast<u32_alias*>(code_.data() + c.fuel_site);
      *p = std::max<uint32_t>(c.fuel_count, 1);
    }
  } else {
    bind(c.label);
    reach = reach || labels_[c.label].used;
  }
  stack_.resize(c.height);
  for (ValType t : c.results) push(t);
  ctrls_.back().dead = !reach;
  last_.valid = false;
}

void Compiler::emit_return() {
  uint32_t n = static_cast<uint32_t>(results_.size());
  if (n >= 2) {
    // Results go to slots 0..: a local read later could be overwritten by an
    // earlier result, so locals are first copied to their stack slots. The
    // stack mirror is not changed: this may be one path of several.
    for (size_t i = stack_.size() - n; i < stack_.size(); ++i) {
      const Entry& e = stack_[i];
      if (e.kind == Kind::Local) emit(slot_width(e.type) == 2 ? IOp::Copy128 : IOp::Copy, {e.slot, e.local});
    }
    uint32_t dst = 0;
    for (size_t i = stack_.size() - n; i < stack_.size(); ++i) {
      Entry e = stack_[i];
      if (e.kind == Kind::Local) e.kind = Kind::Slot;
      move_to(dst, e);
      dst += slot_width(e.type);
    }
  } else if (n == 1 && stack_.back().kind == Kind::Slot && last_.valid && last_.dst_slot == stack_.back().slot) {
    // The result was computed just before: compute it into slot 0 instead
    // (a return ends the path, so nothing else reads the old slot).
    reinterpret_cast<u32_alias*>(code_.data())[last_.dst_field] = 0;
  } else {
    move_top_to(n, 0);
  }
  emit(IOp::Return, {});
}

void Compiler::branch(uint32_t depth) {
  Ctrl& t = target(depth);
  if (t.kind == FrameKind::Function) {
    emit_return();
  } else {
    uint32_t n = static_cast<uint32_t>(label_types(t).size());
    if (n == 1 && stack_.back().kind == Kind::Slot && last_.valid && last_.dst_slot == stack_.back().slot) {
      // As for return: the value goes straight into the label's slot.
      reinterpret_cast<u32_alias*>(code_.data())[last_.dst_field] = t.base;
    } else {
      move_top_to(n, t.base);
    }
    size_t s = emit(IOp::Br, {}, {0});
    branch_to(t.label, s + 1);
  }
  kill();
}

void Compiler::cond_branch(uint32_t depth) {
  Entry cond = pop();
  Ctrl& t = target(depth);
  uint32_t n = static_cast<uint32_t>(label_types(t).size());
  if (t.kind != FrameKind::Function && (n == 0 || top_in_place(n, t.base))) {
    emit_cond_jump(cond, true, t.label);
    return;
  }
  uint32_t skip = new_label();
  emit_cond_jump(cond, false, skip);
  if (t.kind == FrameKind::Function) {
    emit_return();
  } else {
    move_top_to(n, t.base);
    size_t s = emit(IOp::Br, {}, {0});
    branch_to(t.label, s + 1);
  }
  bind(skip);
}

// Compare kinds in wasm order: eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u.
namespace {
constexpr uint8_t kInvert[10] = {1, 0, 8, 9, 6, 7, 4, 5, 2, 3};
IOp op_plus(IOp base, unsigned k) { return static_cast<IOp>(static_cast<unsigned>(base) + k); }
}  // namespace

void Compiler::drop_last() {
  const Emitted& h = hist_[--hist_n_];
  code_.resize(h.start);
  out_.pc_map.resize(h.pc_entries);
  while (!out_.starts.empty() && out_.starts.back() >= h.start) out_.starts.pop_back();
  last_.valid = false;
}

bool Compiler::remove_second_last() {
  if (hist_n_ < 2) return false;
  Emitted& gone = hist_[hist_n_ - 2];
  Emitted& kept = hist_[hist_n_ - 1];
  if ((!relocs_.empty() && relocs_.back() >= gone.start) || (!func_refs_.empty() && func_refs_.back() >= gone.start)) {
    return false;
  }
  size_t len = kept.start - gone.start;
  code_.erase(code_.begin() + static_cast<ptrdiff_t>(gone.start), code_.begin() + static_cast<ptrdiff_t>(kept.start));
  auto& map = out_.pc_map;
  size_t keep_from = kept.pc_entries;
  map.erase(map.begin() + static_cast<ptrdiff_t>(gone.pc_entries), map.begin() + static_cast<ptrdiff_t>(keep_from));
  for (size_t i = gone.pc_entries; i < map.size(); ++i) map[i].pc -= static_cast<uint32_t>(len);
  for (uint32_t& st : out_.starts) {
    if (st == gone.start) st = UINT32_MAX;
    else if (st > gone.start) st -= static_cast<uint32_t>(len);
  }
  std::erase(out_.starts, UINT32_MAX);
  if (last_.valid && last_.start == kept.start) {
    last_.start -= len;
    last_.dst_field -= 2 * len;
  }
  kept.start = gone.start;
  kept.pc_entries = gone.pc_entries;
  gone = kept;
  --hist_n_;
  return true;
}

// `x += k; y += j` (both into locals, nothing between): one instruction.
void Compiler::merge_add_pair() {
  const Emitted* b = emitted(0);
  const Emitted* a = emitted(1);
  if (!a || !b || a->op != IOp::I32AddI || b->op != IOp::I32AddI) return;
  if (a->f[0] >= locals_end_ || b->f[0] >= locals_end_) return;
  Emitted first = *a, second = *b;
  hist_n_ -= 2;
  code_.resize(first.start);
  out_.pc_map.resize(second.pc_entries);
  while (!out_.starts.empty() && out_.starts.back() > first.start) out_.starts.pop_back();
  if (!out_.starts.empty() && out_.starts.back() == first.start) out_.starts.pop_back();
  emit(IOp::I32AddI2, {first.f[0], first.f[1], first.f[2], second.f[0], second.f[1], second.f[2]});
}

void Compiler::emit_cond_jump(Entry cond, bool when_true, uint32_t label) {
  if (last_.valid && last_.cmp && cond.kind == Kind::Slot && cond.slot == last_.dst_slot) {
    Last l = last_;
    drop_last();
    size_t s;
    if (l.cmp_kind == 10) {  // eqz: branch on the operand being zero
      s = emit(when_true ? IOp::BrUnless : IOp::BrIf, {l.a}, {0});
    } else if (const Emitted* add = emitted(0);
               !l.is64 && add && add->op == IOp::I32AddI && add->f[0] == l.a) {
      // d = a + k; branch on d <kind> b/imm: one instruction.
      unsigned k = when_true ? l.cmp_kind : kInvert[l.cmp_kind];
      Emitted e = *add;
      drop_last();
      IOp base = l.has_imm ? IOp::AddBrI32EqI : IOp::AddBrI32Eq;
      s = emit(op_plus(base, k), {e.f[0], e.f[1], e.f[2], l.has_imm ? static_cast<uint32_t>(l.imm) : l.b}, {0});
    } else {
      unsigned k = when_true ? l.cmp_kind : kInvert[l.cmp_kind];
      if (!l.has_imm) {
        s = emit(op_plus(l.is64 ? IOp::BrIfI64Eq : IOp::BrIfI32Eq, k), {l.a, l.b}, {0});
      } else if (!l.is64) {
        s = emit(op_plus(IOp::BrIfI32EqI, k), {l.a, static_cast<uint32_t>(l.imm)}, {0});
      } else {
        s = emit(op_plus(IOp::BrIfI64EqI, k), {l.a}, {l.imm, 0});
      }
    }
    (void)s;
    branch_to(label, code_.size() - 1);
    return;
  }
  uint32_t slot = use(cond);
  emit(when_true ? IOp::BrIf : IOp::BrUnless, {slot}, {0});
  branch_to(label, code_.size() - 1);
}

void Compiler::br_table(const bin::Instr& ins) {
  Entry idx = pop();
  uint32_t is = use(idx);
  uint32_t count = static_cast<uint32_t>(ins.targets.size());
  size_t start = emit(IOp::BrTable, {is, count});
  size_t first = code_.size();
  code_.resize(first + count + 1, 0);
  struct Stub {
    uint32_t label;
    uint32_t depth;
  };
  std::vector<Stub> stubs;
  for (uint32_t k = 0; k <= count; ++k) {
    uint32_t depth = k < count ? ins.targets[k] : ins.index;
    Ctrl& t = target(depth);
    uint32_t n = static_cast<uint32_t>(label_types(t).size());
    if (t.kind != FrameKind::Function && (n == 0 || top_in_place(n, t.base))) {
      branch_to(t.label, first + k);
      continue;
    }
    auto it = std::find_if(stubs.begin(), stubs.end(), [&](const Stub& s) { return s.depth == depth; });
    if (it == stubs.end()) {
      stubs.push_back({new_label(), depth});
      it = stubs.end() - 1;
    }
    branch_to(it->label, first + k);
  }
  (void)start;
  for (const Stub& s : stubs) {
    bind(s.label);
    Ctrl& t = target(s.depth);
    if (t.kind == FrameKind::Function) {
      emit_return();
    } else {
      move_top_to(static_cast<uint32_t>(label_types(t).size()), t.base);
      size_t b = emit(IOp::Br, {}, {0});
      branch_to(t.label, b + 1);
    }
  }
  kill();
}

void Compiler::call(const bin::Instr& ins) {
  const bin::Module& m = out_.binary;
  bool indirect = ins.op == Op::CallIndirect || ins.op == Op::ReturnCallIndirect;
  bool tail = ins.op == Op::ReturnCall || ins.op == Op::ReturnCallIndirect;
  const bin::FuncType& ft = indirect ? m.types[ins.index] : out_.info.func_type(m, ins.index);
  Entry idx;
  uint32_t idx_slot = 0;
  if (indirect) {
    idx = pop();
    materialize(idx);
    idx_slot = idx.slot;
  }
  uint32_t n = static_cast<uint32_t>(ft.params.size());
  for (size_t i = stack_.size() - n; i < stack_.size(); ++i) materialize(stack_[i]);
  uint32_t base = n ? stack_[stack_.size() - n].slot : next_slot();
  bool local = !indirect && ins.index >= out_.info.imported_funcs;
  uint32_t def = local ? ins.index - out_.info.imported_funcs : 0;
  if (tail) {
    move_top_to(n, 0);
    if (indirect) {
      emit(IOp::ReturnCallIndirect, {idx_slot, ins.index2, out_.type_ids[ins.index]});
    } else if (local) {
      emit(IOp::ReturnCall, {}, {def});
      func_refs_.push_back(static_cast<uint32_t>(code_.size() - 1));
    } else {
      emit(IOp::ReturnCallImport, {ins.index});
    }
    kill();
    return;
  }
  stack_.resize(stack_.size() - n);
  if (indirect) {
    emit(IOp::CallIndirect, {base, idx_slot, ins.index2, out_.type_ids[ins.index]});
  } else if (local) {
    emit(IOp::Call, {base}, {def});
    func_refs_.push_back(static_cast<uint32_t>(code_.size() - 1));
  } else {
    emit(IOp::CallImport, {base, ins.index});
  }
  for (ValType t : ft.results) push(t);
}

void Compiler::throw_(const bin::Instr& ins) {
  if (ins.op == Op::ThrowRef) {
    Entry e = pop();
    emit(IOp::ThrowRef, {use(e)});
  } else {
    const bin::FuncType& ft = out_.binary.types[out_.info.tags[ins.index].index];
    uint32_t n = static_cast<uint32_t>(ft.params.size());
    for (size_t i = stack_.size() - n; i < stack_.size(); ++i) materialize(stack_[i]);
    uint32_t base = n ? stack_[stack_.size() - n].slot : next_slot();
    emit(IOp::Throw, {ins.index, base});
  }
  kill();
}

void Compiler::variable(const bin::Instr& ins, const bin::StackEffect& effect) {
  switch (ins.op) {
    case Op::Drop: pop(); return;
    case Op::Select:
    case Op::SelectT: {
      Entry c = pop();
      Entry b = pop();
      Entry a = pop();
      uint32_t sc = use(c), sb = use(b), sa = use(a);
      ValType t = effect.pushed[0];
      Entry& r = push(t);
      size_t s = emit(slot_width(t) == 2 ? IOp::Select128 : IOp::Select, {r.slot, sc, sa, sb});
      set_last_result(s, (s + 1) * 2);
      return;
    }
    case Op::LocalGet: {
      Entry& e = push(local_type_[ins.index]);
      e.kind = Kind::Local;
      e.local = local_slot_[ins.index];
      return;
    }
    case Op::LocalSet:
    case Op::LocalTee: {
      uint32_t ls = local_slot_[ins.index];
      ValType t = local_type_[ins.index];
      Entry v = pop();
      if (!(v.kind == Kind::Local && v.local == ls)) {
        materialize_local(ls);
        if (v.kind == Kind::Slot && last_.valid && last_.dst_slot == v.slot) {
          reinterpret_cast<u32_alias*>(code_.data())[last_.dst_field] = ls;
          if (hist_n_ && hist_[hist_n_ - 1].start == last_.start && last_.dst_field == (last_.start + 1) * 2) {
            hist_[hist_n_ - 1].f[0] = ls;
          }
          last_.valid = false;
          merge_add_pair();
        } else {
          move_to(ls, v);
        }
      }
      if (ins.op == Op::LocalTee) {
        Entry& e = push(t);
        e.kind = Kind::Local;
        e.local = ls;
      }
      return;
    }
    case Op::GlobalGet: {
      ValType t = effect.pushed[0];
      Entry& r = push(t);
      size_t s = emit(slot_width(t) == 2 ? IOp::GlobalGet128 : IOp::GlobalGet, {r.slot, ins.index});
      set_last_result(s, (s + 1) * 2);
      return;
    }
    default: {  // GlobalSet
      Entry v = pop();
      uint32_t s = use(v);
      emit(slot_width(v.type) == 2 ? IOp::GlobalSet128 : IOp::GlobalSet, {s, ins.index});
      return;
    }
  }
}

void Compiler::generic_ext(const bin::Instr& ins, const bin::StackEffect& effect, ExtFn fn, bool reload) {
  const bin::OpInfo& info = bin::op_info(ins.op);
  uint32_t n_in = info.sig.n_params;
  uint32_t ops[16];
  size_t n = 0;
  std::vector<Entry> in(stack_.end() - n_in, stack_.end());
  stack_.resize(stack_.size() - n_in);
  uint32_t in_slots[3];
  for (uint32_t i = 0; i < n_in; ++i) in_slots[i] = use(in[i]);
  bool has_result = info.sig.n_results == 1;
  if (has_result) ops[n++] = push(effect.pushed[0]).slot;
  for (uint32_t i = 0; i < n_in; ++i) ops[n++] = in_slots[i];
  switch (info.imm) {
    case bin::Imm::MemArg:
    case bin::Imm::MemArgLane:
      ops[n++] = ins.mem.memory;
      ops[n++] = static_cast<uint32_t>(ins.mem.offset);
      ops[n++] = static_cast<uint32_t>(ins.mem.offset >> 32);
      if (info.imm == bin::Imm::MemArgLane) ops[n++] = ins.lane;
      break;
    case bin::Imm::Lane: ops[n++] = ins.lane; break;
    case bin::Imm::Shuffle:
      for (int i = 0; i < 4; ++i) {
        uint32_t w;
        std::memcpy(&w, ins.v128.data() + 4 * i, 4);
        ops[n++] = w;
      }
      break;
    case bin::Imm::Mem: ops[n++] = ins.mem.memory; break;
    case bin::Imm::MemInit:
      ops[n++] = ins.index;
      ops[n++] = ins.mem.memory;
      break;
    default: break;
  }
  size_t s = emit_ext(reload ? IOp::ExtReload : IOp::Ext, fn, std::span<const uint32_t>(ops, n));
  if (has_result) set_last_result(s, (s + 2) * 2 + 1);  // after the ExtFn word and the length
}

}  // namespace witc::rt::detail
