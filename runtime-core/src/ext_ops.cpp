// Out-of-line instructions: loads and stores on any memory (memory64, a
// non-zero memory index), memory.size/grow/fill/copy/init, data.drop, and the
// table instructions (core spec 4.4.5, 4.4.6). Each reads its operands from
// the instruction (see the operand lists below) and returns 0 or a trap code.
#include <cstring>

#include "compiler.h"

namespace witc::rt::detail {

namespace {

constexpr TrapCode kMemOob = trap_code(TrapKind::MemoryOutOfBounds);
constexpr TrapCode kTableOob = trap_code(TrapKind::TableOutOfBounds);

inline uint64_t off64(const uint32_t* ops, int i) { return ops[i] | (uint64_t{ops[i + 1]} << 32); }

// An address operand of memory m: i32 or i64 by the memory's address type.
inline uint64_t addr_of(const Memory* m, const Slot& s) { return m->type_.limits.is64 ? s.u64 : s.u32; }
inline uint64_t index_of(const Table* t, const Slot& s) { return t->type_.limits.is64 ? s.u64 : s.u32; }

// [addr + off, addr + off + n) inside the memory? Sets ea.
inline bool in_bounds(const Memory* m, uint64_t addr, uint64_t off, uint64_t n, uint64_t& ea) {
  if (__builtin_add_overflow(addr, off, &ea)) return false;
  return ea <= m->size_ && m->size_ - ea >= n;
}
inline bool range_ok(uint64_t start, uint64_t n, uint64_t size) { return start <= size && size - start >= n; }

// Fuel for bulk work (with Config::consume_fuel): one unit per 64 bytes or
// elements, so that a loop of large fills is bounded like any other loop.
constexpr TrapCode kNoFuel = trap_code(TrapKind::OutOfFuel);
inline bool charge(Exec& cx, uint64_t n) {
  if (n < 64 || !cx.inst->module_->compiled_->config.consume_fuel) return true;
  cx.fuel -= static_cast<int64_t>(n >> 6);
  if (cx.fuel >= 0) return true;
  cx.fuel = 0;
  return false;
}

// Generic scalar load: ops d, addr, mem, off_lo, off_hi.
template <class T, class R>
TrapCode load(Exec& cx, Slot* fp, const uint32_t* ops) {
  const Memory* m = cx.inst->memories_[ops[2]];
  uint64_t ea;
  if (!in_bounds(m, addr_of(m, fp[ops[1]]), off64(ops, 3), sizeof(T), ea)) return kMemOob;
  T v;
  std::memcpy(&v, m->base_ + ea, sizeof(T));
  fp[ops[0]].u64 = static_cast<uint64_t>(static_cast<R>(v));
  return 0;
}

// Generic scalar store: ops addr, value, mem, off_lo, off_hi.
template <class T>
TrapCode store(Exec& cx, Slot* fp, const uint32_t* ops) {
  Memory* m = cx.inst->memories_[ops[2]];
  uint64_t ea;
  if (!in_bounds(m, addr_of(m, fp[ops[0]]), off64(ops, 3), sizeof(T), ea)) return kMemOob;
  T v = static_cast<T>(fp[ops[1]].u64);
  std::memcpy(m->base_ + ea, &v, sizeof(T));
  return 0;
}

// memory.size: d, mem.
TrapCode memory_size(Exec& cx, Slot* fp, const uint32_t* ops) {
  fp[ops[0]].u64 = cx.inst->memories_[ops[1]]->pages();
  return 0;
}

// memory.grow: d, delta, mem.
TrapCode memory_grow(Exec& cx, Slot* fp, const uint32_t* ops) {
  Memory* m = cx.inst->memories_[ops[2]];
  int64_t r = m->grow(addr_of(m, fp[ops[1]]));
  fp[ops[0]].u64 = m->type_.limits.is64 ? static_cast<uint64_t>(r) : static_cast<uint32_t>(r);
  return 0;
}

// memory.fill: d, value, n, mem.
TrapCode memory_fill(Exec& cx, Slot* fp, const uint32_t* ops) {
  Memory* m = cx.inst->memories_[ops[3]];
  uint64_t d = addr_of(m, fp[ops[0]]), n = addr_of(m, fp[ops[2]]);
  if (!range_ok(d, n, m->size_)) return kMemOob;
  if (!charge(cx, n)) return kNoFuel;
  std::memset(m->base_ + d, static_cast<int>(fp[ops[1]].u32 & 0xFF), n);
  return 0;
}

// memory.copy: d, s, n, dst mem, src mem.
TrapCode memory_copy(Exec& cx, Slot* fp, const uint32_t* ops) {
  Memory* dm = cx.inst->memories_[ops[3]];
  const Memory* sm = cx.inst->memories_[ops[4]];
  uint64_t d = addr_of(dm, fp[ops[0]]), s = addr_of(sm, fp[ops[1]]);
  bool n64 = dm->type_.limits.is64 && sm->type_.limits.is64;
  uint64_t n = n64 ? fp[ops[2]].u64 : fp[ops[2]].u32;
  if (!range_ok(s, n, sm->size_) || !range_ok(d, n, dm->size_)) return kMemOob;
  if (!charge(cx, n)) return kNoFuel;
  std::memmove(dm->base_ + d, sm->base_ + s, n);
  return 0;
}

// memory.init: d, s, n, data, mem.
TrapCode memory_init(Exec& cx, Slot* fp, const uint32_t* ops) {
  Memory* m = cx.inst->memories_[ops[4]];
  std::span<const uint8_t> data = cx.inst->datas_[ops[3]];
  uint64_t d = addr_of(m, fp[ops[0]]);
  uint64_t s = fp[ops[1]].u32, n = fp[ops[2]].u32;
  if (!range_ok(s, n, data.size()) || !range_ok(d, n, m->size_)) return kMemOob;
  if (!charge(cx, n)) return kNoFuel;
  if (n) std::memcpy(m->base_ + d, data.data() + s, n);
  return 0;
}

// data.drop: data.
TrapCode data_drop(Exec& cx, Slot*, const uint32_t* ops) {
  cx.inst->datas_[ops[0]] = {};
  return 0;
}

// table.get: d, i, table.
TrapCode table_get(Exec& cx, Slot* fp, const uint32_t* ops) {
  const Table* t = cx.inst->tables_[ops[2]];
  uint64_t i = index_of(t, fp[ops[1]]);
  if (i >= t->elems_.size()) return kTableOob;
  fp[ops[0]].u64 = t->elems_[i];
  return 0;
}

// table.set: i, value, table.
TrapCode table_set(Exec& cx, Slot* fp, const uint32_t* ops) {
  Table* t = cx.inst->tables_[ops[2]];
  uint64_t i = index_of(t, fp[ops[0]]);
  if (i >= t->elems_.size()) return kTableOob;
  t->elems_[i] = fp[ops[1]].u64;
  return 0;
}

// table.size: d, table.
TrapCode table_size(Exec& cx, Slot* fp, const uint32_t* ops) {
  fp[ops[0]].u64 = cx.inst->tables_[ops[1]]->elems_.size();
  return 0;
}

// table.grow: d, init, n, table.
TrapCode table_grow(Exec& cx, Slot* fp, const uint32_t* ops) {
  Table* t = cx.inst->tables_[ops[3]];
  uint64_t n = index_of(t, fp[ops[2]]);
  uint64_t old = t->elems_.size();
  uint64_t r;
  if (n > t->max_ - old) {
    r = t->type_.limits.is64 ? UINT64_MAX : UINT32_MAX;
  } else {
    t->elems_.resize(old + n, fp[ops[1]].u64);
    r = old;
  }
  fp[ops[0]].u64 = r;
  return 0;
}

// table.fill: i, value, n, table.
TrapCode table_fill(Exec& cx, Slot* fp, const uint32_t* ops) {
  Table* t = cx.inst->tables_[ops[3]];
  uint64_t i = index_of(t, fp[ops[0]]), n = index_of(t, fp[ops[2]]);
  if (!range_ok(i, n, t->elems_.size())) return kTableOob;
  if (!charge(cx, n)) return kNoFuel;
  std::fill_n(t->elems_.begin() + static_cast<ptrdiff_t>(i), n, fp[ops[1]].u64);
  return 0;
}

// table.copy: d, s, n, dst table, src table.
TrapCode table_copy(Exec& cx, Slot* fp, const uint32_t* ops) {
  Table* dt = cx.inst->tables_[ops[3]];
  const Table* st = cx.inst->tables_[ops[4]];
  uint64_t d = index_of(dt, fp[ops[0]]), s = index_of(st, fp[ops[1]]);
  bool n64 = dt->type_.limits.is64 && st->type_.limits.is64;
  uint64_t n = n64 ? fp[ops[2]].u64 : fp[ops[2]].u32;
  if (!range_ok(s, n, st->elems_.size()) || !range_ok(d, n, dt->elems_.size())) return kTableOob;
  if (!charge(cx, n)) return kNoFuel;
  if (n) std::memmove(dt->elems_.data() + d, st->elems_.data() + s, n * sizeof(uint64_t));
  return 0;
}

// table.init: d, s, n, elem, table.
TrapCode table_init(Exec& cx, Slot* fp, const uint32_t* ops) {
  Table* t = cx.inst->tables_[ops[4]];
  const std::vector<uint64_t>& seg = cx.inst->elems_[ops[3]];
  uint64_t d = index_of(t, fp[ops[0]]);
  uint64_t s = fp[ops[1]].u32, n = fp[ops[2]].u32;
  if (!range_ok(s, n, seg.size()) || !range_ok(d, n, t->elems_.size())) return kTableOob;
  if (!charge(cx, n)) return kNoFuel;
  std::copy_n(seg.begin() + static_cast<ptrdiff_t>(s), n, t->elems_.begin() + static_cast<ptrdiff_t>(d));
  return 0;
}

// elem.drop: elem.
TrapCode elem_drop(Exec& cx, Slot*, const uint32_t* ops) {
  cx.inst->elems_[ops[0]].clear();
  cx.inst->elems_[ops[0]].shrink_to_fit();
  return 0;
}

}  // namespace

const ExtFn kExtMemorySize = memory_size, kExtMemoryGrow = memory_grow, kExtMemoryFill = memory_fill,
            kExtMemoryCopy = memory_copy, kExtMemoryInit = memory_init, kExtDataDrop = data_drop,
            kExtTableGet = table_get, kExtTableSet = table_set, kExtTableSize = table_size,
            kExtTableGrow = table_grow, kExtTableFill = table_fill, kExtTableCopy = table_copy,
            kExtTableInit = table_init, kExtElemDrop = elem_drop;

ExtFn ext_generic_load(bin::Op op) {
  using bin::Op;
  switch (op) {
    case Op::I32Load:
    case Op::F32Load:
    case Op::I64Load32U: return load<uint32_t, uint32_t>;
    case Op::I64Load:
    case Op::F64Load: return load<uint64_t, uint64_t>;
    case Op::I32Load8S: return load<int8_t, uint32_t>;
    case Op::I32Load8U:
    case Op::I64Load8U: return load<uint8_t, uint32_t>;
    case Op::I32Load16S: return load<int16_t, uint32_t>;
    case Op::I32Load16U:
    case Op::I64Load16U: return load<uint16_t, uint32_t>;
    case Op::I64Load8S: return load<int8_t, int64_t>;
    case Op::I64Load16S: return load<int16_t, int64_t>;
    case Op::I64Load32S: return load<int32_t, int64_t>;
    default: return nullptr;
  }
}

ExtFn ext_generic_store(bin::Op op) {
  using bin::Op;
  switch (op) {
    case Op::I32Store8:
    case Op::I64Store8: return store<uint8_t>;
    case Op::I32Store16:
    case Op::I64Store16: return store<uint16_t>;
    case Op::I32Store:
    case Op::F32Store:
    case Op::I64Store32: return store<uint32_t>;
    case Op::I64Store:
    case Op::F64Store: return store<uint64_t>;
    default: return nullptr;
  }
}

}  // namespace witc::rt::detail
