// Instantiation (core spec 4.5.4): import matching, allocation, constant
// expressions, segment initialisation and the start function.
#include <fmt/format.h>

#include "code.h"
#include "store_state.h"
#include "witc/bin/code_reader.h"

namespace witc::rt {

namespace {

Trap link_error(const bin::Import& im, std::string_view why) {
  return Trap::make(TrapKind::Link, fmt::format("{}: {}::{}", why, im.module, im.name));
}

// Limits subtyping for imports (core spec 4.5.2 "Import matching"): the
// actual object's current size and declared maximum against the import's.
bool limits_match(uint64_t actual_min, std::optional<uint64_t> actual_max, const bin::Limits& want) {
  if (actual_min < want.min) return false;
  if (!want.max) return true;
  return actual_max && *actual_max <= *want.max;
}

std::optional<Trap> check_import(const detail::Compiled& c, const bin::Import& im, const Extern& e) {
  if (e.kind != im.kind || e.ptr == nullptr) return link_error(im, "incompatible import type");
  switch (im.kind) {
    case bin::ExternKind::Func:
      if (e.as_func()->type_id_ != c.type_ids[im.func.index]) return link_error(im, "incompatible import type");
      break;
    case bin::ExternKind::Table: {
      const Table* t = e.as_table();
      if (t->type_.elem != im.table.elem || t->type_.limits.is64 != im.table.limits.is64 ||
          !limits_match(t->size(), t->type_.limits.max, im.table.limits)) {
        return link_error(im, "incompatible import type");
      }
      break;
    }
    case bin::ExternKind::Memory: {
      const Memory* m = e.as_memory();
      if (m->type_.limits.is64 != im.memory.limits.is64 ||
          !limits_match(m->pages(), m->type_.limits.max, im.memory.limits)) {
        return link_error(im, "incompatible import type");
      }
      break;
    }
    case bin::ExternKind::Global:
      if (!(e.as_global()->type_ == im.global)) return link_error(im, "incompatible import type");
      break;
    case bin::ExternKind::Tag:
      if (!(*e.as_tag()->type_ == c.binary.types[im.tag.type.index])) return link_error(im, "incompatible import type");
      break;
  }
  return std::nullopt;
}

// Evaluates a validated constant expression in the context of `inst`.
Val eval_const(const Instance& inst, const bin::Module& m, bin::ByteRange expr, bin::Features f) {
  bin::CodeReader rd(m.bytes(expr), m.base_offset + expr.begin, f);
  std::vector<Val> st;
  bin::Instr ins;
  while (!rd.at_end() && rd.next(ins)) {
    switch (ins.op) {
      case bin::Op::I32Const: st.push_back(Val::i32(static_cast<uint32_t>(ins.bits))); break;
      case bin::Op::I64Const: st.push_back(Val::i64(ins.bits)); break;
      case bin::Op::F32Const: st.push_back(Val::f32_bits(static_cast<uint32_t>(ins.bits))); break;
      case bin::Op::F64Const: st.push_back(Val::f64_bits(ins.bits)); break;
      case bin::Op::V128Const: {
        V128 v;
        v.bytes = ins.v128;
        st.push_back(Val::v128(v));
        break;
      }
      case bin::Op::RefNull: st.push_back(Val::null(ins.type)); break;
      case bin::Op::RefFunc: st.push_back(Val::funcref(inst.funcs_[ins.index])); break;
      case bin::Op::GlobalGet: st.push_back(inst.globals_[ins.index]->get()); break;
      case bin::Op::I32Add:
      case bin::Op::I32Sub:
      case bin::Op::I32Mul:
      case bin::Op::I64Add:
      case bin::Op::I64Sub:
      case bin::Op::I64Mul: {
        Val b = st.back();
        st.pop_back();
        Val& a = st.back();
        uint64_t x = a.bits, y = b.bits, r = 0;
        switch (ins.op) {
          case bin::Op::I32Add:
          case bin::Op::I64Add: r = x + y; break;
          case bin::Op::I32Sub:
          case bin::Op::I64Sub: r = x - y; break;
          default: r = x * y; break;
        }
        a.bits = a.type == ValType::I32 ? static_cast<uint32_t>(r) : r;
        break;
      }
      case bin::Op::End: return st.empty() ? Val{} : st.back();
      default: break;
    }
  }
  return st.empty() ? Val{} : st.back();
}

}  // namespace

Result<Instance*> Store::instantiate(std::shared_ptr<const Module> module, std::span<const Extern> imports) {
  const detail::Compiled& c = *module->compiled_;
  const bin::Module& bm = c.binary;
  if (imports.size() != bm.imports.size()) {
    return trap(Trap::make(TrapKind::Link, fmt::format("the module has {} imports, {} given", bm.imports.size(),
                                                       imports.size())));
  }
  for (size_t i = 0; i < imports.size(); ++i) {
    if (auto t = check_import(c, bm.imports[i], imports[i])) return trap(std::move(*t));
  }

  Instance& inst = state_->instances.emplace_back();
  inst.module_ = module;
  for (size_t i = 0; i < imports.size(); ++i) {
    const Extern& e = imports[i];
    switch (e.kind) {
      case bin::ExternKind::Func: inst.funcs_.push_back(e.as_func()); break;
      case bin::ExternKind::Table: inst.tables_.push_back(e.as_table()); break;
      case bin::ExternKind::Memory: inst.memories_.push_back(e.as_memory()); break;
      case bin::ExternKind::Global: inst.globals_.push_back(e.as_global()); break;
      case bin::ExternKind::Tag: inst.tags_.push_back(e.as_tag()); break;
    }
  }
  for (size_t i = 0; i < bm.functions.size(); ++i) {
    Func& f = state_->funcs.emplace_back();
    f.type_id_ = c.type_ids[bm.functions[i].type.index];
    f.type_ = detail::canon_type(f.type_id_);
    f.instance_ = &inst;
    f.code_ = &c.funcs[i];
    f.index_ = c.funcs[i].func_index;
    f.param_slots_ = c.funcs[i].param_slots;
    f.result_slots_ = c.funcs[i].result_slots;
    inst.funcs_.push_back(&f);
  }
  for (const bin::Table& t : bm.tables) {
    auto r = add_table(t.type, Val::null(t.type.elem));
    if (!r) return trap(std::move(r.error()));
    inst.tables_.push_back(*r);
  }
  for (const bin::Memory& m : bm.memories) {
    auto r = add_memory(m.type);
    if (!r) return trap(std::move(r.error()));
    inst.memories_.push_back(*r);
  }
  inst.mem0_ = inst.memories_.empty() ? nullptr : inst.memories_[0];
  for (const bin::Tag& t : bm.tags) inst.tags_.push_back(add_tag(bm.types[t.type.type.index]));
  for (const bin::Global& g : bm.globals) {
    inst.globals_.push_back(add_global(g.type, eval_const(inst, bm, g.init, config_.features)));
  }
  for (const bin::Export& e : bm.exports) {
    Extern x;
    switch (e.kind) {
      case bin::ExternKind::Func: x = Extern::func(inst.funcs_[e.index]); break;
      case bin::ExternKind::Table: x = Extern::table(inst.tables_[e.index]); break;
      case bin::ExternKind::Memory: x = Extern::memory(inst.memories_[e.index]); break;
      case bin::ExternKind::Global: x = Extern::global(inst.globals_[e.index]); break;
      case bin::ExternKind::Tag: x = Extern::tag(inst.tags_[e.index]); break;
    }
    inst.exports_.emplace_back(e.name, x);
  }
  for (const bin::ElemSegment& s : bm.elements) {
    std::vector<uint64_t> items;
    items.reserve(s.size());
    if (s.uses_exprs()) {
      for (const bin::ByteRange& e : s.exprs) items.push_back(eval_const(inst, bm, e, config_.features).bits);
    } else {
      for (uint32_t f : s.funcs) items.push_back(reinterpret_cast<uint64_t>(inst.funcs_[f]));
    }
    inst.elems_.push_back(std::move(items));
  }
  for (const bin::DataSegment& d : bm.datas) inst.datas_.push_back(bm.bytes(d.data));

  // Active segments, in order; a failure traps with the earlier writes kept.
  for (size_t i = 0; i < bm.elements.size(); ++i) {
    const bin::ElemSegment& s = bm.elements[i];
    if (s.mode == bin::SegmentMode::Active) {
      Table* t = inst.tables_[s.table.index];
      uint64_t off = eval_const(inst, bm, s.offset_expr, config_.features).bits;
      std::vector<uint64_t>& items = inst.elems_[i];
      if (off > t->size() || t->size() - off < items.size()) return trap(Trap::make(TrapKind::TableOutOfBounds));
      std::copy(items.begin(), items.end(), t->elems_.begin() + static_cast<ptrdiff_t>(off));
    }
    if (s.mode != bin::SegmentMode::Passive) inst.elems_[i].clear();
  }
  for (size_t i = 0; i < bm.datas.size(); ++i) {
    const bin::DataSegment& d = bm.datas[i];
    if (d.mode != bin::SegmentMode::Active) continue;
    Memory* m = inst.memories_[d.memory.index];
    uint64_t off = eval_const(inst, bm, d.offset_expr, config_.features).bits;
    std::span<const uint8_t> bytes = inst.datas_[i];
    if (!m->write(off, bytes)) return trap(Trap::make(TrapKind::MemoryOutOfBounds));
    inst.datas_[i] = {};
  }
  if (bm.start) {
    auto r = call(inst.funcs_[bm.start->index], {});
    if (!r) return trap(std::move(r.error()));
  }
  return &inst;
}

}  // namespace witc::rt
