// Reading a core module: the preamble, the section loop and one decoder per
// section (core spec 5.5).
#include <fmt/format.h>

#include "module_reader.h"
#include "try.h"
#include "witc/bin/code_reader.h"
#include "witc/bin/limits.h"
#include "witc/bin/reader.h"

namespace witc::bin {

namespace detail {

int section_rank(uint8_t id) {
  // type import function table memory tag global export start element
  // datacount code data
  static constexpr int kRank[kSectionIds] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
  return id < kSectionIds ? kRank[id] : 0;
}

namespace {

Expected<uint8_t> read_flag_byte(Cursor& c) {
  const uint8_t* at = c.pos();
  WITC_TRY_VAL(uint8_t b, c.u8());
  if (b & 0x80) return fail(c.error_at(at, "integer representation too long"));
  return b;
}

// limits (core spec 5.3.7); memory64 adds flags 4 and 5 (64-bit addresses).
Expected<Limits> read_limits(Cursor& c, Features f) {
  const uint8_t* at = c.pos();
  WITC_TRY_VAL(uint8_t flags, read_flag_byte(c));
  bool known = flags <= 1 || (f.has(Feature::Memory64) && (flags == 4 || flags == 5));
  if (!known) {
    return fail(c.error_at(at, f.has(Feature::Memory64) ? "malformed limits flags"
                                                        : "integer too large"));
  }
  Limits l;
  l.is64 = (flags & 4) != 0;
  unsigned bits = l.is64 ? 64 : 32;
  WITC_TRY_VAL(l.min, c.uleb(bits));
  if (flags & 1) {
    WITC_TRY_VAL(uint64_t max, c.uleb(bits));
    l.max = max;
  }
  return l;
}

Expected<TableType> read_table_type(Cursor& c, Features f) {
  TableType t;
  WITC_TRY_VAL(t.elem, read_reftype(c, f));
  WITC_TRY_VAL(t.limits, read_limits(c, f));
  return t;
}

Expected<GlobalType> read_global_type(Cursor& c, Features f) {
  GlobalType g;
  WITC_TRY_VAL(g.type, read_valtype(c, f));
  const uint8_t* at = c.pos();
  WITC_TRY_VAL(uint8_t m, c.u8());
  if (m > 1) return fail(c.error_at(at, "malformed mutability"));
  g.mut = m == 1;
  return g;
}

Expected<TagType> read_tag_type(Cursor& c) {
  TagType t;
  const uint8_t* at = c.pos();
  WITC_TRY_VAL(t.attribute, c.u8());
  if (t.attribute != 0) return fail(c.error_at(at, "malformed tag attribute"));
  WITC_TRY_VAL(uint32_t idx, c.u32());
  t.type = TypeIdx(idx);
  return t;
}

Expected<void> read_types(Module& m, Cursor& c, Features f) {
  WITC_TRY_VAL(uint32_t n, c.count(limits::kTypes, "types"));
  m.types.reserve(m.types.size() + c.capacity_for(n, 3));
  for (uint32_t i = 0; i < n; ++i) {
    const uint8_t* at = c.pos();
    FuncType ft;
    ft.offset = c.offset();
    WITC_TRY_VAL(uint8_t form, c.u8());
    if (form & 0x80) return fail(c.error_at(at, "integer representation too long"));
    if (form != 0x60) return fail(c.error_at(at, fmt::format("malformed function type form {:#04x}", form)));
    WITC_TRY_VAL(uint32_t np, c.count(limits::kParams, "parameters"));
    ft.params.reserve(c.capacity_for(np));
    for (uint32_t k = 0; k < np; ++k) {
      WITC_TRY_VAL(ValType t, read_valtype(c, f));
      ft.params.push_back(t);
    }
    WITC_TRY_VAL(uint32_t nr, c.count(limits::kResults, "results"));
    ft.results.reserve(c.capacity_for(nr));
    for (uint32_t k = 0; k < nr; ++k) {
      WITC_TRY_VAL(ValType t, read_valtype(c, f));
      ft.results.push_back(t);
    }
    m.types.push_back(std::move(ft));
  }
  return {};
}

Expected<void> read_imports(Module& m, Cursor& c, Features f) {
  WITC_TRY_VAL(uint32_t n, c.count(limits::kImports, "imports"));
  m.imports.reserve(m.imports.size() + c.capacity_for(n, 4));
  for (uint32_t i = 0; i < n; ++i) {
    Import im;
    im.offset = c.offset();
    WITC_TRY_VAL(std::string_view module, c.name());
    WITC_TRY_VAL(std::string_view name, c.name());
    im.module = module;
    im.name = name;
    const uint8_t* at = c.pos();
    WITC_TRY_VAL(uint8_t kind, c.u8());
    switch (kind) {
      case 0: {
        WITC_TRY_VAL(uint32_t idx, c.u32());
        im.func = TypeIdx(idx);
        break;
      }
      case 1: {
        WITC_TRY_VAL(im.table, read_table_type(c, f));
        break;
      }
      case 2: {
        WITC_TRY_VAL(im.memory.limits, read_limits(c, f));
        break;
      }
      case 3: {
        WITC_TRY_VAL(im.global, read_global_type(c, f));
        break;
      }
      case 4: {
        if (!f.has(Feature::Exceptions)) return fail(c.error_at(at, "malformed import kind"));
        WITC_TRY_VAL(im.tag, read_tag_type(c));
        break;
      }
      default: return fail(c.error_at(at, "malformed import kind"));
    }
    im.kind = static_cast<ExternKind>(kind);
    m.imports.push_back(std::move(im));
  }
  return {};
}

Expected<void> read_functions(Module& m, Cursor& c) {
  WITC_TRY_VAL(uint32_t n, c.count(limits::kFunctions, "functions"));
  m.functions.reserve(m.functions.size() + c.capacity_for(n));
  for (uint32_t i = 0; i < n; ++i) {
    Function fn;
    fn.offset = c.offset();
    WITC_TRY_VAL(uint32_t idx, c.u32());
    fn.type = TypeIdx(idx);
    m.functions.push_back(fn);
  }
  return {};
}

Expected<void> read_tables(Module& m, Cursor& c, Features f) {
  WITC_TRY_VAL(uint32_t n, c.count(limits::kTables, "tables"));
  for (uint32_t i = 0; i < n; ++i) {
    Table t;
    t.offset = c.offset();
    WITC_TRY_VAL(t.type, read_table_type(c, f));
    m.tables.push_back(t);
  }
  return {};
}

Expected<void> read_memories(Module& m, Cursor& c, Features f) {
  WITC_TRY_VAL(uint32_t n, c.count(limits::kMemories, "memories"));
  for (uint32_t i = 0; i < n; ++i) {
    Memory mem;
    mem.offset = c.offset();
    WITC_TRY_VAL(mem.type.limits, read_limits(c, f));
    m.memories.push_back(mem);
  }
  return {};
}

Expected<void> read_tags(Module& m, Cursor& c) {
  WITC_TRY_VAL(uint32_t n, c.count(limits::kTags, "tags"));
  for (uint32_t i = 0; i < n; ++i) {
    Tag t;
    t.offset = c.offset();
    WITC_TRY_VAL(t.type, read_tag_type(c));
    m.tags.push_back(t);
  }
  return {};
}

Expected<void> read_globals(Module& m, Cursor& c, Features f) {
  WITC_TRY_VAL(uint32_t n, c.count(limits::kGlobals, "globals"));
  m.globals.reserve(m.globals.size() + c.capacity_for(n, 3));
  for (uint32_t i = 0; i < n; ++i) {
    Global g;
    g.offset = c.offset();
    WITC_TRY_VAL(g.type, read_global_type(c, f));
    WITC_TRY_VAL(auto init, read_expr(c, f));
    g.init = range_in(m, init);
    m.globals.push_back(g);
  }
  return {};
}

Expected<void> read_exports(Module& m, Cursor& c, Features f) {
  WITC_TRY_VAL(uint32_t n, c.count(limits::kExports, "exports"));
  m.exports.reserve(m.exports.size() + c.capacity_for(n, 3));
  for (uint32_t i = 0; i < n; ++i) {
    Export e;
    e.offset = c.offset();
    WITC_TRY_VAL(std::string_view name, c.name());
    e.name = name;
    const uint8_t* at = c.pos();
    WITC_TRY_VAL(uint8_t kind, c.u8());
    if (kind > 4 || (kind == 4 && !f.has(Feature::Exceptions))) {
      return fail(c.error_at(at, "malformed export kind"));
    }
    e.kind = static_cast<ExternKind>(kind);
    WITC_TRY_VAL(e.index, c.u32());
    m.exports.push_back(std::move(e));
  }
  return {};
}

Expected<void> read_elements(Module& m, Cursor& c, Features f) {
  WITC_TRY_VAL(uint32_t n, c.count(limits::kElementSegments, "element segments"));
  m.elements.reserve(m.elements.size() + c.capacity_for(n, 2));
  for (uint32_t i = 0; i < n; ++i) {
    ElemSegment s;
    s.offset = c.offset();
    const uint8_t* at = c.pos();
    WITC_TRY_VAL(s.flags, c.u32());
    if (s.flags > 7) return fail(c.error_at(at, "malformed elements segment kind"));
    if (s.flags != 0 && !f.has(Feature::BulkMemory) && !f.has(Feature::ReferenceTypes)) {
      return fail(c.error_at(at, "element segment flags require the bulk-memory feature"));
    }
    s.mode = (s.flags & 1) == 0 ? SegmentMode::Active
             : (s.flags & 2) ? SegmentMode::Declarative
                             : SegmentMode::Passive;
    if (s.mode == SegmentMode::Active) {
      if (s.flags & 2) {
        WITC_TRY_VAL(uint32_t t, c.u32());
        s.table = TableIdx(t);
      }
      WITC_TRY_VAL(auto e, read_expr(c, f));
      s.offset_expr = range_in(m, e);
    }
    if (s.flags & 3) {
      if (s.uses_exprs()) {
        WITC_TRY_VAL(s.type, read_reftype(c, f));
      } else {
        const uint8_t* kat = c.pos();
        WITC_TRY_VAL(uint8_t kind, c.u8());
        if (kind != 0) return fail(c.error_at(kat, "malformed elements segment kind"));
      }
    }
    WITC_TRY_VAL(uint32_t items, c.count(limits::kElementItems, "element segment items"));
    if (s.uses_exprs()) {
      s.exprs.reserve(c.capacity_for(items));
      for (uint32_t k = 0; k < items; ++k) {
        WITC_TRY_VAL(auto e, read_expr(c, f));
        s.exprs.push_back(range_in(m, e));
      }
    } else {
      s.funcs.reserve(c.capacity_for(items));
      for (uint32_t k = 0; k < items; ++k) {
        WITC_TRY_VAL(uint32_t fi, c.u32());
        s.funcs.push_back(fi);
      }
    }
    m.elements.push_back(std::move(s));
  }
  return {};
}

Expected<void> read_codes(Module& m, Cursor& c) {
  WITC_TRY_VAL(uint32_t n, c.count(limits::kFunctions, "function bodies"));
  m.codes.reserve(m.codes.size() + c.capacity_for(n));
  for (uint32_t i = 0; i < n; ++i) {
    const uint8_t* at = c.pos();
    WITC_TRY_VAL(uint32_t size, c.u32());
    if (size > limits::kFunctionSize) {
      return fail(c.error_at(at, fmt::format("function body too large ({} bytes)", size)));
    }
    Code code;
    code.offset = c.offset();
    WITC_TRY_VAL(auto body, c.bytes(size));
    code.body = range_in(m, body);
    m.codes.push_back(code);
  }
  return {};
}

Expected<void> read_datas(Module& m, Cursor& c, Features f) {
  WITC_TRY_VAL(uint32_t n, c.count(limits::kDataSegments, "data segments"));
  m.datas.reserve(m.datas.size() + c.capacity_for(n, 2));
  for (uint32_t i = 0; i < n; ++i) {
    DataSegment d;
    d.offset = c.offset();
    const uint8_t* at = c.pos();
    WITC_TRY_VAL(d.flags, c.u32());
    if (d.flags > 2) return fail(c.error_at(at, "malformed data segment kind"));
    if (d.flags == 1 && !f.has(Feature::BulkMemory)) {
      return fail(c.error_at(at, "passive data segments require the bulk-memory feature"));
    }
    d.mode = d.flags == 1 ? SegmentMode::Passive : SegmentMode::Active;
    if (d.flags == 2) {
      WITC_TRY_VAL(uint32_t mem, c.u32());
      d.memory = MemIdx(mem);
    }
    if (d.mode == SegmentMode::Active) {
      WITC_TRY_VAL(auto e, read_expr(c, f));
      d.offset_expr = range_in(m, e);
    }
    WITC_TRY_VAL(uint32_t len, c.u32());
    WITC_TRY_VAL(auto bytes, c.bytes(len));
    d.data = range_in(m, bytes);
    m.datas.push_back(d);
  }
  return {};
}

}  // namespace

Expected<void> read_section_contents(Module& m, SectionId id, Cursor& c, Features f) {
  switch (id) {
    case SectionId::Type: return read_types(m, c, f);
    case SectionId::Import: return read_imports(m, c, f);
    case SectionId::Function: return read_functions(m, c);
    case SectionId::Table: return read_tables(m, c, f);
    case SectionId::Memory: return read_memories(m, c, f);
    case SectionId::Tag: return read_tags(m, c);
    case SectionId::Global: return read_globals(m, c, f);
    case SectionId::Export: return read_exports(m, c, f);
    case SectionId::Start: {
      WITC_TRY_VAL(uint32_t idx, c.u32());
      m.start = FuncIdx(idx);
      return {};
    }
    case SectionId::Element: return read_elements(m, c, f);
    case SectionId::DataCount: {
      WITC_TRY_VAL(uint32_t n, c.u32());
      m.data_count = n;
      return {};
    }
    case SectionId::Code: return read_codes(m, c);
    case SectionId::Data: return read_datas(m, c, f);
    case SectionId::Custom: break;
  }
  return fail(c.error("malformed section id"));
}

}  // namespace detail

namespace {

Expected<void> read_preamble(Cursor& c) {
  static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6D};
  if (c.remaining() < 4) return fail(Diagnostic::at_offset(c.offset_of(c.data_end()), "unexpected end"));
  for (int i = 0; i < 4; ++i) {
    if (c.pos()[i] != kMagic[i]) return fail(c.error("magic header not detected"));
  }
  c.bytes(4);
  if (c.remaining() < 4) return fail(Diagnostic::at_offset(c.offset_of(c.data_end()), "unexpected end"));
  static constexpr uint8_t kVersion[4] = {0x01, 0x00, 0x00, 0x00};
  for (int i = 0; i < 4; ++i) {
    if (c.pos()[i] != kVersion[i]) return fail(c.error(unknown_version_message(c.pos())));
  }
  c.bytes(4);
  return {};
}

Expected<void> read_custom(Module& m, Cursor& c, uint8_t after, ByteRange raw, uint64_t offset) {
  CustomSection cs;
  cs.offset = offset;
  cs.after = after;
  cs.raw = raw;
  WITC_TRY_VAL(std::string_view name, c.name());
  cs.name = name;
  WITC_TRY_VAL(auto data, c.bytes(c.remaining()));
  cs.data = detail::range_in(m, data);
  m.customs.push_back(std::move(cs));
  return {};
}

Expected<void> read_sections(Module& m, Cursor& c, Features f) {
  int last_rank = 0;
  uint8_t last_id = 0;
  while (!c.at_end()) {
    const uint8_t* start = c.pos();
    uint64_t start_offset = c.offset();
    WITC_TRY_VAL(uint8_t id, c.u8());
    int rank = detail::section_rank(id);
    if (id != 0 && (rank == 0 || (id == 13 && !f.has(Feature::Exceptions)))) {
      return fail(c.error_at(start, "malformed section id"));
    }
    WITC_TRY_VAL(uint32_t size, c.u32());
    if (size > c.remaining()) return fail(c.error_at(start, "length out of bounds"));
    WITC_TRY_VAL(Cursor body, c.sub(size));
    ByteRange raw{static_cast<uint32_t>(start - m.storage.data()),
                  static_cast<uint32_t>(c.pos() - start)};
    auto in_section = [&](Diagnostic d) {
      return fail(std::move(d).with_context(fmt::format("in section {}", id)));
    };
    if (id == 0) {
      if (m.customs.size() >= limits::kCustomSections) {
        return fail(c.error_at(start, "too many custom sections"));
      }
      if (auto r = read_custom(m, body, last_id, raw, start_offset); !r) return in_section(r.error());
      continue;
    }
    if (rank <= last_rank) return fail(c.error_at(start, "unexpected content after last section"));
    last_rank = rank;
    last_id = id;
    m.sections[id] = SectionRecord{true, raw, start_offset};
    auto r = detail::read_section_contents(m, static_cast<SectionId>(id), body, f);
    if (!r) return in_section(std::move(r.error()));
    if (!body.at_end()) return in_section(body.error("section size mismatch"));
  }
  if (m.functions.size() != m.codes.size()) {
    return fail(c.error("function and code section have inconsistent lengths"));
  }
  if (m.data_count && *m.data_count != m.datas.size()) {
    return fail(c.error("data count and data section have inconsistent lengths"));
  }
  return {};
}

}  // namespace

Expected<BinaryKind> detect_binary_kind(std::span<const uint8_t> bytes) {
  if (bytes.size() < 8) return fail(Diagnostic::at_offset(bytes.size(), "unexpected end"));
  static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6D};
  if (!std::equal(kMagic, kMagic + 4, bytes.begin())) {
    return fail(Diagnostic::at_offset(0, "magic header not detected"));
  }
  if (bytes[4] == 0x01 && bytes[5] == 0 && bytes[6] == 0 && bytes[7] == 0) return BinaryKind::Module;
  if (bytes[4] == 0x0d && bytes[5] == 0 && bytes[6] == 0x01 && bytes[7] == 0) {
    return BinaryKind::Component;
  }
  return fail(Diagnostic::at_offset(4, unknown_version_message(bytes.data() + 4)));
}

Expected<Module> read_module(std::vector<uint8_t>&& bytes, Features features, uint64_t base) {
  Module m;
  m.storage = std::move(bytes);
  m.base_offset = base;
  Cursor c(m.storage, base, true);
  WITC_TRY(read_preamble(c));
  WITC_TRY(read_sections(m, c, features));
  return m;
}

Expected<Module> read_module(std::span<const uint8_t> bytes, Features features, uint64_t base) {
  return read_module(std::vector<uint8_t>(bytes.begin(), bytes.end()), features, base);
}

std::string_view section_name(SectionId id) {
  static constexpr std::string_view kNames[kSectionIds] = {
      "custom", "type", "import", "function", "table", "memory",     "global",
      "export", "start", "element", "code",   "data",  "data count", "tag"};
  auto i = static_cast<size_t>(id);
  return i < kSectionIds ? kNames[i] : "unknown";
}

ByteRange Module::add_bytes(std::span<const uint8_t> b) {
  ByteRange r{static_cast<uint32_t>(storage.size()), static_cast<uint32_t>(b.size())};
  storage.insert(storage.end(), b.begin(), b.end());
  return r;
}

uint32_t Module::num_imports(ExternKind k) const {
  uint32_t n = 0;
  for (const auto& im : imports) n += im.kind == k;
  return n;
}

}  // namespace witc::bin
