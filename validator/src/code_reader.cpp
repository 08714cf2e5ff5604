#include "witc/bin/code_reader.h"

#include <fmt/format.h>

#include "witc/bin/limits.h"

namespace witc::bin {

namespace {

Diagnostic needs_feature(const Cursor& c, const uint8_t* at, std::string_view what, Feature f) {
  return c.error_at(at, fmt::format("{} requires the {} feature", what, feature_name(f)));
}

}  // namespace

Expected<ValType> read_valtype(Cursor& c, Features f) {
  const uint8_t* at = c.pos();
  auto b = c.u8();
  if (!b) return fail(std::move(b.error()));
  switch (*b) {
    case 0x7F: return ValType::I32;
    case 0x7E: return ValType::I64;
    case 0x7D: return ValType::F32;
    case 0x7C: return ValType::F64;
    case 0x7B:
      if (!f.has(Feature::Simd)) return fail(needs_feature(c, at, "v128", Feature::Simd));
      return ValType::V128;
    case 0x70:
    case 0x6F:
      if (!f.has(Feature::ReferenceTypes)) {
        return fail(needs_feature(c, at, *b == 0x70 ? "funcref" : "externref",
                                  Feature::ReferenceTypes));
      }
      return static_cast<ValType>(*b);
    case 0x69:
      if (!f.has(Feature::Exceptions)) return fail(needs_feature(c, at, "exnref", Feature::Exceptions));
      return ValType::ExnRef;
    default: return fail(c.error_at(at, "malformed value type"));
  }
}

Expected<ValType> read_reftype(Cursor& c, Features f) {
  const uint8_t* at = c.pos();
  auto b = c.u8();
  if (!b) return fail(std::move(b.error()));
  switch (*b) {
    case 0x70: return ValType::FuncRef;
    case 0x6F:
      if (!f.has(Feature::ReferenceTypes)) {
        return fail(needs_feature(c, at, "externref", Feature::ReferenceTypes));
      }
      return ValType::ExternRef;
    case 0x69:
      if (!f.has(Feature::Exceptions)) return fail(needs_feature(c, at, "exnref", Feature::Exceptions));
      return ValType::ExnRef;
    default: return fail(c.error_at(at, "malformed reference type"));
  }
}

Expected<BlockType> read_blocktype(Cursor& c, Features f) {
  const uint8_t* at = c.pos();
  auto b = c.peek();
  if (!b) return fail(std::move(b.error()));
  BlockType bt;
  if (*b == 0x40) {
    c.u8();
    return bt;
  }
  if (*b >= 0x40 && *b < 0x80) {  // a negative one-byte s33: a value type
    auto t = read_valtype(c, f);
    if (!t) return fail(std::move(t.error()));
    bt.kind = BlockType::Kind::Value;
    bt.value = *t;
    return bt;
  }
  auto idx = c.s33();
  if (!idx) return fail(std::move(idx.error()));
  if (*idx < 0) return fail(c.error_at(at, "malformed block type"));
  if (!f.has(Feature::MultiValue)) {
    return fail(needs_feature(c, at, "a block type index", Feature::MultiValue));
  }
  if (*idx > UINT32_MAX) return fail(c.error_at(at, "malformed block type"));
  bt.kind = BlockType::Kind::Index;
  bt.index = static_cast<uint32_t>(*idx);
  return bt;
}

Expected<void> CodeReader::read_locals(std::vector<ValType>& locals) {
  auto groups = c_.count(limits::kLocals, "local declarations");
  if (!groups) return fail(std::move(groups.error()));
  uint64_t total = locals.size();
  for (uint32_t i = 0; i < *groups; ++i) {
    const uint8_t* at = c_.pos();
    auto n = c_.u32();
    if (!n) return fail(std::move(n.error()));
    total += *n;
    if (total > UINT32_MAX || total > limits::kLocals) {
      return fail(c_.error_at(at, "too many locals"));
    }
    auto t = read_valtype(c_, features_);
    if (!t) return fail(std::move(t.error()));
    locals.insert(locals.end(), *n, *t);
  }
  return {};
}

Expected<uint32_t> CodeReader::read_memidx() {
  if (features_.has(Feature::MultiMemory)) return c_.u32();
  const uint8_t* at = c_.pos();
  auto b = c_.u8();
  if (!b) return fail(std::move(b.error()));
  if (*b != 0) return fail(c_.error_at(at, "zero byte expected"));
  return 0u;
}

Expected<void> CodeReader::read_memarg(Instr& ins) {
  const uint8_t* at = c_.pos();
  auto align = c_.u32();
  if (!align) return fail(std::move(align.error()));
  ins.mem.align = *align;
  ins.mem.memory = 0;
  if (features_.has(Feature::MultiMemory) && (*align & 0x40) != 0) {
    if (*align >= 0x80) return fail(c_.error_at(at, "malformed memop flags"));
    ins.mem.align = *align & ~0x40u;
    auto m = c_.u32();
    if (!m) return fail(std::move(m.error()));
    ins.mem.memory = *m;
  }
  if (features_.has(Feature::Memory64)) {
    auto off = c_.u64();
    if (!off) return fail(std::move(off.error()));
    ins.mem.offset = *off;
  } else {
    auto off = c_.u32();
    if (!off) return fail(std::move(off.error()));
    ins.mem.offset = *off;
  }
  return {};
}

Expected<void> CodeReader::read_br_table(Instr& ins) {
  auto n = c_.count(limits::kFunctionSize, "br_table targets");
  if (!n) return fail(std::move(n.error()));
  targets_.clear();
  for (uint32_t i = 0; i < *n; ++i) {
    auto t = c_.u32();
    if (!t) return fail(std::move(t.error()));
    targets_.push_back(*t);
  }
  auto d = c_.u32();
  if (!d) return fail(std::move(d.error()));
  ins.index = *d;
  ins.targets = targets_;
  return {};
}

Expected<void> CodeReader::read_try_table(Instr& ins) {
  auto bt = read_blocktype(c_, features_);
  if (!bt) return fail(std::move(bt.error()));
  ins.block = *bt;
  auto n = c_.count(limits::kFunctionSize, "catch clauses");
  if (!n) return fail(std::move(n.error()));
  catches_.clear();
  for (uint32_t i = 0; i < *n; ++i) {
    const uint8_t* at = c_.pos();
    auto k = c_.u8();
    if (!k) return fail(std::move(k.error()));
    if (*k > 3) return fail(c_.error_at(at, "malformed catch clause"));
    Catch cl;
    cl.kind = static_cast<Catch::Kind>(*k);
    if (*k < 2) {
      auto tag = c_.u32();
      if (!tag) return fail(std::move(tag.error()));
      cl.tag = *tag;
    }
    auto label = c_.u32();
    if (!label) return fail(std::move(label.error()));
    cl.label = *label;
    catches_.push_back(cl);
  }
  ins.catches = catches_;
  return {};
}

Expected<void> CodeReader::next(Instr& ins) {
  const uint8_t* at = c_.pos();
  ins.offset = c_.offset();
  auto b = c_.u8();
  if (!b) return fail(std::move(b.error()));
  Op op;
  if (*b == 0xFC || *b == 0xFD) {
    auto code = c_.u32();
    if (!code) return fail(std::move(code.error()));
    op = lookup_op(*b, *code);
    if (op == Op::Count_) {
      return fail(c_.error_at(at, fmt::format("illegal opcode {:#04x} {:#x}", *b, *code)));
    }
  } else {
    op = lookup_op(0, *b);
    if (op == Op::Count_) return fail(c_.error_at(at, fmt::format("illegal opcode {:#04x}", *b)));
  }
  const OpInfo& info = op_info(op);
  if (!info.mvp && !features_.has(info.feature)) {
    return fail(needs_feature(c_, at, info.text, info.feature));
  }
  ins.op = op;
  if (info.imm == Imm::None) return {};
  return read_immediates(ins, info.imm);
}

Expected<void> CodeReader::read_immediates(Instr& ins, Imm imm) {
  auto u32_into = [&](uint32_t& dst) -> Expected<void> {
    auto v = c_.u32();
    if (!v) return fail(std::move(v.error()));
    dst = *v;
    return {};
  };
  switch (imm) {
    case Imm::None: return {};
    case Imm::Block: {
      auto bt = read_blocktype(c_, features_);
      if (!bt) return fail(std::move(bt.error()));
      ins.block = *bt;
      return {};
    }
    case Imm::Label:
    case Imm::Func:
    case Imm::Tag:
    case Imm::Local:
    case Imm::Global:
    case Imm::Table:
    case Imm::Elem:
    case Imm::Data: return u32_into(ins.index);
    case Imm::BrTable: return read_br_table(ins);
    case Imm::CallIndirect: {
      if (auto r = u32_into(ins.index); !r) return r;
      if (features_.has(Feature::ReferenceTypes)) return u32_into(ins.index2);
      const uint8_t* at = c_.pos();
      auto z = c_.u8();
      if (!z) return fail(std::move(z.error()));
      if (*z != 0) return fail(c_.error_at(at, "zero byte expected"));
      ins.index2 = 0;
      return {};
    }
    case Imm::TryTable: return read_try_table(ins);
    case Imm::SelectT: {
      auto n = c_.count(limits::kFunctionSize, "select types");
      if (!n) return fail(std::move(n.error()));
      types_.clear();
      for (uint32_t i = 0; i < *n; ++i) {
        auto t = read_valtype(c_, features_);
        if (!t) return fail(std::move(t.error()));
        types_.push_back(*t);
      }
      ins.types = types_;
      return {};
    }
    case Imm::TableInit:
    case Imm::TableCopy: {
      if (auto r = u32_into(ins.index); !r) return r;
      return u32_into(ins.index2);
    }
    case Imm::MemArg: return read_memarg(ins);
    case Imm::MemArgLane: {
      if (auto r = read_memarg(ins); !r) return r;
      auto l = c_.u8();
      if (!l) return fail(std::move(l.error()));
      ins.lane = *l;
      return {};
    }
    case Imm::Mem: {
      auto m = read_memidx();
      if (!m) return fail(std::move(m.error()));
      ins.mem.memory = *m;
      return {};
    }
    case Imm::MemInit: {
      if (auto r = u32_into(ins.index); !r) return r;
      auto m = read_memidx();
      if (!m) return fail(std::move(m.error()));
      ins.mem.memory = *m;
      return {};
    }
    case Imm::MemCopy: {
      auto dst = read_memidx();
      if (!dst) return fail(std::move(dst.error()));
      auto src = read_memidx();
      if (!src) return fail(std::move(src.error()));
      ins.mem.memory = *dst;
      ins.index2 = *src;
      return {};
    }
    case Imm::I32: {
      auto v = c_.s32();
      if (!v) return fail(std::move(v.error()));
      ins.bits = static_cast<uint32_t>(*v);
      return {};
    }
    case Imm::I64: {
      auto v = c_.s64();
      if (!v) return fail(std::move(v.error()));
      ins.bits = static_cast<uint64_t>(*v);
      return {};
    }
    case Imm::F32: {
      auto v = c_.fixed32();
      if (!v) return fail(std::move(v.error()));
      ins.bits = *v;
      return {};
    }
    case Imm::F64: {
      auto v = c_.fixed64();
      if (!v) return fail(std::move(v.error()));
      ins.bits = *v;
      return {};
    }
    case Imm::V128:
    case Imm::Shuffle: {
      auto v = c_.bytes(16);
      if (!v) return fail(std::move(v.error()));
      std::copy(v->begin(), v->end(), ins.v128.begin());
      return {};
    }
    case Imm::Lane: {
      auto l = c_.u8();
      if (!l) return fail(std::move(l.error()));
      ins.lane = *l;
      return {};
    }
    case Imm::HeapType: {
      auto t = read_reftype(c_, features_);
      if (!t) return fail(std::move(t.error()));
      ins.type = *t;
      return {};
    }
  }
  return {};
}

Expected<std::span<const uint8_t>> read_expr(Cursor& c, Features f) {
  const uint8_t* start = c.pos();
  CodeReader r(std::span<const uint8_t>(start, c.data_end()), c.offset(), f);
  Instr ins;
  uint32_t depth = 0;
  for (;;) {
    if (r.at_end()) {
      c.seek(c.data_end());
      return fail(c.eof());
    }
    if (auto e = r.next(ins); !e) return fail(std::move(e.error()));
    switch (ins.op) {
      case Op::Block:
      case Op::Loop:
      case Op::If:
      case Op::TryTable: ++depth; break;
      case Op::End:
        if (depth == 0) {
          std::span<const uint8_t> expr(start, r.pos());
          c.seek(r.pos());
          return expr;
        }
        --depth;
        break;
      default: break;
    }
  }
}

}  // namespace witc::bin
