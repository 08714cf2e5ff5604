// The compiler's value instructions: numeric, memory, tables, references.
#include <cstring>

#include "compiler.h"

namespace witc::rt::detail {

using bin::Op;
using bin::ValType;

namespace {

typedef uint32_t __attribute__((may_alias)) u32_alias;

// How a plain numeric instruction compiles.
struct NumOp {
  IOp rr = IOp::Exit;  // the handler (binary u{d,a,b} or unary u{d,a}); Exit: none
  IOp ri = IOp::Exit;  // with an immediate second operand
  bool comm = false;   // commutative: a constant first operand may be swapped
  bool unary = false;
  bool retype = false;  // same bits, new type: no code
  bool is64 = false;
  int8_t cmp = -1;     // compare kind (0..9) or 10 for eqz
};

// Swapping the operands of a compare: lt <-> gt, le <-> ge.
constexpr uint8_t kMirror[10] = {0, 1, 4, 5, 2, 3, 8, 9, 6, 7};

IOp plus(IOp base, int k) { return static_cast<IOp>(static_cast<int>(base) + k); }
int minus(Op a, Op b) { return static_cast<int>(a) - static_cast<int>(b); }

NumOp num_op(Op op) {
  NumOp n;
  if (op >= Op::I32Eq && op <= Op::I32GeU) {
    n.cmp = static_cast<int8_t>(minus(op, Op::I32Eq));
    n.rr = plus(IOp::I32Eq, n.cmp);
    n.ri = plus(IOp::I32EqI, n.cmp);
    return n;
  }
  if (op >= Op::I64Eq && op <= Op::I64GeU) {
    n.cmp = static_cast<int8_t>(minus(op, Op::I64Eq));
    n.rr = plus(IOp::I64Eq, n.cmp);
    n.ri = plus(IOp::I64EqI, n.cmp);
    n.is64 = true;
    return n;
  }
  switch (op) {
#define WITC_RR(O) \
  case Op::O: n.rr = IOp::O; break;
#define WITC_RI(O, C) \
  case Op::O:         \
    n.rr = IOp::O;    \
    n.ri = IOp::O##I; \
    n.comm = C;       \
    break;
#define WITC_UN(O)  \
  case Op::O:       \
    n.rr = IOp::O;  \
    n.unary = true; \
    break;
#define WITC_RT(O) \
  case Op::O: n.retype = true; break;
#define WITC_INT(P)                                                                            \
  WITC_RI(P##Add, true) WITC_RI(P##Sub, false) WITC_RI(P##Mul, true) WITC_RR(P##DivS)          \
  WITC_RR(P##DivU) WITC_RR(P##RemS) WITC_RR(P##RemU) WITC_RI(P##And, true) WITC_RI(P##Or, true) \
  WITC_RI(P##Xor, true) WITC_RI(P##Shl, false) WITC_RI(P##ShrS, false) WITC_RI(P##ShrU, false) \
  WITC_RI(P##Rotl, false) WITC_RI(P##Rotr, false) WITC_UN(P##Clz) WITC_UN(P##Ctz)               \
  WITC_UN(P##Popcnt) WITC_UN(P##Extend8S) WITC_UN(P##Extend16S)
    WITC_INT(I32)
    WITC_INT(I64)
    WITC_UN(I64Extend32S)
#define WITC_FLOAT(P)                                                                            \
  WITC_RR(P##Add) WITC_RR(P##Sub) WITC_RR(P##Mul) WITC_RR(P##Div) WITC_RR(P##Min) WITC_RR(P##Max) \
  WITC_RR(P##Copysign) WITC_RR(P##Eq) WITC_RR(P##Ne) WITC_RR(P##Lt) WITC_RR(P##Gt) WITC_RR(P##Le) \
  WITC_RR(P##Ge) WITC_UN(P##Abs) WITC_UN(P##Neg) WITC_UN(P##Ceil) WITC_UN(P##Floor)              \
  WITC_UN(P##Trunc) WITC_UN(P##Nearest) WITC_UN(P##Sqrt)
    WITC_FLOAT(F32)
    WITC_FLOAT(F64)
    WITC_UN(I32WrapI64) WITC_UN(I64ExtendI32S)
    WITC_UN(I32TruncF32S) WITC_UN(I32TruncF32U) WITC_UN(I32TruncF64S) WITC_UN(I32TruncF64U)
    WITC_UN(I64TruncF32S) WITC_UN(I64TruncF32U) WITC_UN(I64TruncF64S) WITC_UN(I64TruncF64U)
    WITC_UN(I32TruncSatF32S) WITC_UN(I32TruncSatF32U) WITC_UN(I32TruncSatF64S)
    WITC_UN(I32TruncSatF64U) WITC_UN(I64TruncSatF32S) WITC_UN(I64TruncSatF32U)
    WITC_UN(I64TruncSatF64S) WITC_UN(I64TruncSatF64U)
    WITC_UN(F32ConvertI32S) WITC_UN(F32ConvertI32U) WITC_UN(F32ConvertI64S)
    WITC_UN(F32ConvertI64U) WITC_UN(F32DemoteF64)
    WITC_UN(F64ConvertI32S) WITC_UN(F64ConvertI32U) WITC_UN(F64ConvertI64S)
    WITC_UN(F64ConvertI64U) WITC_UN(F64PromoteF32)
    WITC_RT(I64ExtendI32U) WITC_RT(I32ReinterpretF32) WITC_RT(I64ReinterpretF64)
    WITC_RT(F32ReinterpretI32) WITC_RT(F64ReinterpretI64)
#undef WITC_RR
#undef WITC_RI
#undef WITC_UN
#undef WITC_RT
#undef WITC_INT
#undef WITC_FLOAT
    case Op::I32Eqz:
      n.rr = IOp::I32Eqz;
      n.unary = true;
      n.cmp = 10;
      break;
    case Op::I64Eqz:
      n.rr = IOp::I64Eqz;
      n.unary = true;
      n.cmp = 10;
      n.is64 = true;
      break;
    default: break;
  }
  if (n.rr != IOp::Exit && !n.is64) {
    const bin::OpSig& sig = bin::op_info(op).sig;
    n.is64 = sig.n_params > 0 && sig.params[0] == bin::SigType::I64;
  }
  return n;
}

// The operation with a memory operand, for x op load(...).
IOp mem_operand_op(Op op) {
  switch (op) {
    case Op::F32Add: return IOp::F32AddM;
    case Op::F32Sub: return IOp::F32SubM;
    case Op::F32Mul: return IOp::F32MulM;
    case Op::F32Div: return IOp::F32DivM;
    case Op::F64Add: return IOp::F64AddM;
    case Op::F64Sub: return IOp::F64SubM;
    case Op::F64Mul: return IOp::F64MulM;
    case Op::F64Div: return IOp::F64DivM;
    case Op::I32Add: return IOp::I32AddM;
    case Op::I64Add: return IOp::I64AddM;
    default: return IOp::Exit;
  }
}

// The dispatch-loop load/store for memory 0 of a 32-bit memory.
IOp fast_mem_op(Op op) {
  switch (op) {
    case Op::I32Load:
    case Op::F32Load:
    case Op::I64Load32U: return IOp::Load32;
    case Op::I64Load:
    case Op::F64Load: return IOp::Load64;
    case Op::I32Load8S: return IOp::Load8S32;
    case Op::I32Load8U:
    case Op::I64Load8U: return IOp::Load8U;
    case Op::I32Load16S: return IOp::Load16S32;
    case Op::I32Load16U:
    case Op::I64Load16U: return IOp::Load16U;
    case Op::I64Load8S: return IOp::Load8S64;
    case Op::I64Load16S: return IOp::Load16S64;
    case Op::I64Load32S: return IOp::Load32S64;
    case Op::I32Store8:
    case Op::I64Store8: return IOp::Store8;
    case Op::I32Store16:
    case Op::I64Store16: return IOp::Store16;
    case Op::I32Store:
    case Op::F32Store:
    case Op::I64Store32: return IOp::Store32;
    case Op::I64Store:
    case Op::F64Store: return IOp::Store64;
    default: return IOp::Exit;
  }
}

constexpr int kAbsDelta = static_cast<int>(IOp::Load32A) - static_cast<int>(IOp::Load32);
constexpr int kRegDelta = static_cast<int>(IOp::Load32R) - static_cast<int>(IOp::Load32);
constexpr int kScaledDelta = static_cast<int>(IOp::Load32S) - static_cast<int>(IOp::Load32);

}  // namespace

void Compiler::numeric(const bin::Instr& ins, const bin::StackEffect& effect) {
  switch (ins.op) {
    case Op::I32Const:
    case Op::I64Const:
    case Op::F32Const:
    case Op::F64Const:
    case Op::V128Const: {
      Entry& e = push(effect.pushed[0]);
      e.kind = Kind::Const;
      if (ins.op == Op::V128Const) {
        std::memcpy(&e.c0, ins.v128.data(), 8);
        std::memcpy(&e.c1, ins.v128.data() + 8, 8);
      } else {
        e.c0 = ins.bits;
      }
      return;
    }
    default: break;
  }
  NumOp n = num_op(ins.op);
  if (n.retype) {
    Entry a = pop();
    a.type = effect.pushed[0];
    stack_.push_back(a);
    return;
  }
  if (n.rr == IOp::Exit) {
    generic_ext(ins, effect, ext_for(ins.op), false);
    return;
  }
  ValType rt = effect.pushed[0];
  if (n.unary) {
    Entry a = pop();
    uint32_t sa = use(a);
    Entry& r = push(rt);
    size_t s = emit(n.rr, {r.slot, sa});
    set_last_result(s, (s + 1) * 2);
    if (n.cmp == 10) {
      last_.cmp = true;
      last_.cmp_kind = 10;
      last_.a = sa;
      last_.is64 = n.is64;
    }
    return;
  }
  Entry b = pop();
  Entry a = pop();
  bool b_const = b.kind == Kind::Const;
  bool a_const = a.kind == Kind::Const;
  if (n.ri != IOp::Exit && (b_const || (a_const && (n.comm || n.cmp >= 0)))) {
    bool swap = !b_const;
    Entry& x = swap ? b : a;
    uint64_t imm = swap ? a.c0 : b.c0;
    int kind = n.cmp;
    IOp op = n.ri;
    if (!swap && (ins.op == Op::I32Sub || ins.op == Op::I64Sub)) {  // x - k = x + (-k)
      op = ins.op == Op::I32Sub ? IOp::I32AddI : IOp::I64AddI;
      imm = 0 - imm;
      if (!n.is64) imm &= 0xFFFFFFFFu;
    }
    if (swap && n.cmp >= 0) {
      kind = kMirror[n.cmp];
      op = plus(n.is64 ? IOp::I64EqI : IOp::I32EqI, kind);
    }
    uint32_t sx = use(x);
    Entry& r = push(rt);
    size_t s = n.is64 ? emit(op, {r.slot, sx}, {imm}) : emit(op, {r.slot, sx, static_cast<uint32_t>(imm)});
    set_last_result(s, (s + 1) * 2);
    last_.a = sx;
    last_.imm = imm;
    last_.has_imm = true;
    last_.add32 = op == IOp::I32AddI;
    if (n.cmp >= 0) {
      last_.cmp = true;
      last_.cmp_kind = static_cast<uint8_t>(kind);
      last_.is64 = n.is64;
    }
    return;
  }
  // x op load(...): the load just before folds into the operation.
  if (IOp m = mem_operand_op(ins.op); m != IOp::Exit) {
    const Emitted* ld = emitted(0);
    IOp want = (rt == ValType::F64 || rt == ValType::I64) ? IOp::Load64 : IOp::Load32;
    bool b_load = b.kind == Kind::Slot && last_.valid && last_.dst_slot == b.slot && ld && ld->op == want;
    bool a_load = !b_load && n.comm && a.kind == Kind::Slot && b.kind == Kind::Local && last_.valid &&
                  last_.dst_slot == a.slot && ld && ld->op == want;
    if (b_load || a_load) {
      Emitted e = *ld;
      drop_last();
      uint32_t sx = b_load ? use(a) : b.local;
      Entry& r = push(rt);
      uint64_t saved = cur_offset_;
      cur_offset_ = e.offset;  // a trap in the fused instruction is the load's
      size_t s = emit(m, {r.slot, sx, e.f[1], e.f[2], e.f[3]});
      cur_offset_ = saved;
      set_last_result(s, (s + 1) * 2);
      return;
    }
  }
  uint32_t sa = use(a);
  uint32_t sb = use(b);
  Entry& r = push(rt);
  size_t s = emit(n.rr, {r.slot, sa, sb});
  set_last_result(s, (s + 1) * 2);
  last_.a = sa;
  last_.b = sb;
  last_.add32 = n.rr == IOp::I32Add;
  if (n.cmp >= 0) {
    last_.cmp = true;
    last_.cmp_kind = static_cast<uint8_t>(n.cmp);
    last_.is64 = n.is64;
  }
}

void Compiler::memory(const bin::Instr& ins, const bin::StackEffect& effect) {
  const bin::OpInfo& info = bin::op_info(ins.op);
  if (info.imm == bin::Imm::Mem || info.imm == bin::Imm::MemInit) {
    generic_ext(ins, effect, ext_for(ins.op), ins.op == Op::MemoryGrow);
    return;
  }
  IOp fast = fast_mem_op(ins.op);
  if (fast == IOp::Exit) {  // SIMD loads and stores
    generic_ext(ins, effect, ext_for(ins.op), false);
    return;
  }
  bool is_load = info.sig.n_results == 1;
  const bin::MemoryType& mt = out_.info.memories[ins.mem.memory];
  if (ins.mem.memory != 0 || mt.limits.is64) {
    generic_ext(ins, effect, is_load ? ext_generic_load(ins.op) : ext_generic_store(ins.op), false);
    return;
  }
  uint32_t off = static_cast<uint32_t>(ins.mem.offset);
  // An address computed by the instruction just before (an i32.add whose
  // result nothing else reads) folds into the access.
  auto fusable = [&](const Entry& addr) {
    return addr.kind == Kind::Slot && last_.valid && last_.add32 && last_.dst_slot == addr.slot;
  };
  // base + (index << shift), the two instructions just before: one access.
  uint32_t sc_base = 0, sc_index = 0, sc_shift = 0;
  auto scaled = [&](const Entry& addr) {
    if (!fusable(addr) || last_.has_imm) return false;
    const Emitted* add = emitted(0);
    const Emitted* shl = emitted(1);
    if (!add || !shl || add->op != IOp::I32Add || shl->op != IOp::I32ShlI) return false;
    uint32_t t = shl->f[0];
    if (t < locals_end_) return false;  // the shifted index must be a temporary
    if (add->f[1] == t && add->f[2] != t) {
      sc_base = add->f[2];
    } else if (add->f[2] == t && add->f[1] != t) {
      sc_base = add->f[1];
    } else {
      return false;
    }
    sc_index = shl->f[1];
    sc_shift = shl->f[2] & 31;
    return true;
  };
  if (is_load) {
    Entry addr = pop();
    size_t s;
    if (scaled(addr)) {
      drop_last();
      drop_last();
      Entry& r = push(effect.pushed[0]);
      s = emit(plus(fast, kScaledDelta), {r.slot, sc_base, sc_index, off, sc_shift});
    } else if (addr.kind == Kind::Const) {
      uint64_t ea = (addr.c0 & 0xFFFFFFFFu) + ins.mem.offset;
      Entry& r = push(effect.pushed[0]);
      s = emit(plus(fast, kAbsDelta), {r.slot}, {ea});
    } else if (fusable(addr)) {
      Last l = last_;
      drop_last();
      Entry& r = push(effect.pushed[0]);
      s = l.has_imm ? emit(fast, {r.slot, l.a, static_cast<uint32_t>(l.imm), off})
                    : emit(plus(fast, kRegDelta), {r.slot, l.a, l.b, off});
    } else {
      uint32_t sa = use(addr);
      Entry& r = push(effect.pushed[0]);
      s = emit(fast, {r.slot, sa, 0, off});
    }
    set_last_result(s, (s + 1) * 2);
    return;
  }
  Entry v = pop();
  Entry addr = pop();
  // The value must not need code of its own between the add and the store
  // that could overwrite the add's operands.
  bool value_ok = v.kind == Kind::Local ||
                  (v.kind == Kind::Const && last_.a != v.slot && (last_.has_imm || last_.b != v.slot));
  if (value_ok && scaled(addr) && (v.kind == Kind::Local || (sc_base != v.slot && sc_index != v.slot))) {
    drop_last();
    drop_last();
    uint32_t sv = use(v);
    emit(plus(fast, kScaledDelta), {sc_base, sc_index, sv, off, sc_shift});
    return;
  }
  // The address computed before the value: `t = a + k; v = ...; store t v`.
  if (v.kind == Kind::Slot && addr.kind == Kind::Slot && last_.valid && last_.dst_slot == v.slot) {
    const Emitted* val = emitted(0);
    const Emitted* add = emitted(1);
    if (add && val && add->op == IOp::I32AddI && add->f[0] == addr.slot && val->op != IOp::Ext &&
        val->op != IOp::ExtReload && val->f[0] != add->f[1] && val->f[1] != addr.slot && val->f[2] != addr.slot &&
        val->f[3] != addr.slot) {
      uint32_t a = add->f[1], k = add->f[2];
      if (remove_second_last()) {
        emit(fast, {a, k, v.slot, off});
        return;
      }
    }
  }
  if (fusable(addr) && value_ok) {
    Last l = last_;
    drop_last();
    uint32_t sv = use(v);
    if (l.has_imm) {
      emit(fast, {l.a, static_cast<uint32_t>(l.imm), sv, off});
    } else {
      emit(plus(fast, kRegDelta), {l.a, l.b, sv, off});
    }
    return;
  }
  uint32_t sv = use(v);
  if (addr.kind == Kind::Const) {
    uint64_t ea = (addr.c0 & 0xFFFFFFFFu) + ins.mem.offset;
    emit(plus(fast, kAbsDelta), {sv}, {ea});
  } else {
    emit(fast, {use(addr), 0, sv, off});
  }
}

void Compiler::special(const bin::Instr& ins, const bin::StackEffect& effect) {
  // Pops n operands and returns their slots, bottom first.
  auto operands = [&](uint32_t n, uint32_t* slots) {
    std::vector<Entry> in(stack_.end() - n, stack_.end());
    stack_.resize(stack_.size() - n);
    for (uint32_t i = 0; i < n; ++i) slots[i] = use(in[i]);
  };
  auto ext = [&](ExtFn fn, std::initializer_list<uint32_t> ops, bool result) {
    size_t s = emit_ext(IOp::Ext, fn, std::span<const uint32_t>(ops.begin(), ops.size()));
    if (result) set_last_result(s, (s + 2) * 2 + 1);
  };
  uint32_t sl[3];
  switch (ins.op) {
    case Op::RefNull: {
      Entry& e = push(effect.pushed[0]);
      e.kind = Kind::Const;
      e.c0 = 0;
      return;
    }
    case Op::RefIsNull: {
      Entry a = pop();
      if (a.kind == Kind::Const) {
        Entry& r = push(ValType::I32);
        r.kind = Kind::Const;
        r.c0 = a.c0 == 0 ? 1 : 0;
        return;
      }
      uint32_t sa = use(a);
      Entry& r = push(ValType::I32);
      size_t s = emit(IOp::I64Eqz, {r.slot, sa});
      set_last_result(s, (s + 1) * 2);
      last_.cmp = true;
      last_.cmp_kind = 10;
      last_.is64 = true;
      last_.a = sa;
      return;
    }
    case Op::RefFunc: {
      Entry& r = push(ValType::FuncRef);
      size_t s = emit(IOp::RefFunc, {r.slot, ins.index});
      set_last_result(s, (s + 1) * 2);
      return;
    }
    case Op::TableGet: {
      operands(1, sl);
      uint32_t d = push(effect.pushed[0]).slot;
      ext(kExtTableGet, {d, sl[0], ins.index}, true);
      return;
    }
    case Op::TableSet:
      operands(2, sl);
      ext(kExtTableSet, {sl[0], sl[1], ins.index}, false);
      return;
    case Op::TableSize: {
      uint32_t d = push(effect.pushed[0]).slot;
      ext(kExtTableSize, {d, ins.index}, true);
      return;
    }
    case Op::TableGrow: {
      operands(2, sl);
      uint32_t d = push(effect.pushed[0]).slot;
      ext(kExtTableGrow, {d, sl[0], sl[1], ins.index}, true);
      return;
    }
    case Op::TableFill:
      operands(3, sl);
      ext(kExtTableFill, {sl[0], sl[1], sl[2], ins.index}, false);
      return;
    case Op::TableCopy:
      operands(3, sl);
      ext(kExtTableCopy, {sl[0], sl[1], sl[2], ins.index, ins.index2}, false);
      return;
    case Op::TableInit:
      operands(3, sl);
      ext(kExtTableInit, {sl[0], sl[1], sl[2], ins.index, ins.index2}, false);
      return;
    case Op::ElemDrop: ext(kExtElemDrop, {ins.index}, false); return;
    case Op::DataDrop: ext(kExtDataDrop, {ins.index}, false); return;
    case Op::MemoryCopy:
      operands(3, sl);
      ext(kExtMemoryCopy, {sl[0], sl[1], sl[2], ins.mem.memory, ins.index2}, false);
      return;
    default: std::abort();  // every other instruction has a plain signature or is handled above
  }
}

}  // namespace witc::rt::detail
