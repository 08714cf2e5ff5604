// Encoding a core module (core spec 5.5), keeping original section bytes when
// they still say the same thing.
#include <algorithm>

#include "module_reader.h"
#include "witc/bin/cursor.h"
#include "witc/bin/writer.h"

namespace witc::bin {

namespace {

using Bytes = std::vector<uint8_t>;

class Encoder {
 public:
  explicit Encoder(const Module& m) : m_(m) {}

  Bytes section(SectionId id) {
    out_.clear();
    switch (id) {
      case SectionId::Type: types(); break;
      case SectionId::Import: imports(); break;
      case SectionId::Function:
        u32(m_.functions.size());
        for (const auto& f : m_.functions) u32(f.type.index);
        break;
      case SectionId::Table:
        u32(m_.tables.size());
        for (const auto& t : m_.tables) table_type(t.type);
        break;
      case SectionId::Memory:
        u32(m_.memories.size());
        for (const auto& mem : m_.memories) limits(mem.type.limits);
        break;
      case SectionId::Tag:
        u32(m_.tags.size());
        for (const auto& t : m_.tags) tag_type(t.type);
        break;
      case SectionId::Global:
        u32(m_.globals.size());
        for (const auto& g : m_.globals) {
          global_type(g.type);
          raw(g.init);
        }
        break;
      case SectionId::Export:
        u32(m_.exports.size());
        for (const auto& e : m_.exports) {
          name(e.name);
          out_.push_back(static_cast<uint8_t>(e.kind));
          u32(e.index);
        }
        break;
      case SectionId::Start: u32(m_.start ? m_.start->index : 0); break;
      case SectionId::Element: elements(); break;
      case SectionId::DataCount: u32(m_.data_count.value_or(0)); break;
      case SectionId::Code:
        u32(m_.codes.size());
        for (const auto& c : m_.codes) {
          u32(c.body.size);
          raw(c.body);
        }
        break;
      case SectionId::Data: datas(); break;
      case SectionId::Custom: break;
    }
    return out_;
  }

 private:
  void u32(uint64_t v) { write_uleb(out_, v); }
  void raw(ByteRange r) {
    auto b = m_.bytes(r);
    out_.insert(out_.end(), b.begin(), b.end());
  }
  void name(const std::string& s) {
    u32(s.size());
    out_.insert(out_.end(), s.begin(), s.end());
  }
  void byte(ValType t) { out_.push_back(static_cast<uint8_t>(t)); }
  void limits(const Limits& l) {
    out_.push_back(static_cast<uint8_t>((l.max ? 1 : 0) | (l.shared ? 2 : 0) | (l.is64 ? 4 : 0)));
    u32(l.min);
    if (l.max) u32(*l.max);
  }
  void table_type(const TableType& t) {
    byte(t.elem);
    limits(t.limits);
  }
  void global_type(const GlobalType& g) {
    byte(g.type);
    out_.push_back(g.mut ? 1 : 0);
  }
  void tag_type(const TagType& t) {
    out_.push_back(t.attribute);
    u32(t.type.index);
  }
  void types() {
    u32(m_.types.size());
    for (const auto& t : m_.types) {
      out_.push_back(0x60);
      u32(t.params.size());
      for (auto v : t.params) byte(v);
      u32(t.results.size());
      for (auto v : t.results) byte(v);
    }
  }
  void imports() {
    u32(m_.imports.size());
    for (const auto& im : m_.imports) {
      name(im.module);
      name(im.name);
      out_.push_back(static_cast<uint8_t>(im.kind));
      switch (im.kind) {
        case ExternKind::Func: u32(im.func.index); break;
        case ExternKind::Table: table_type(im.table); break;
        case ExternKind::Memory: limits(im.memory.limits); break;
        case ExternKind::Global: global_type(im.global); break;
        case ExternKind::Tag: tag_type(im.tag); break;
      }
    }
  }
  void elements() {
    u32(m_.elements.size());
    for (const auto& s : m_.elements) {
      u32(s.flags);
      if (s.mode == SegmentMode::Active) {
        if (s.flags & 2) u32(s.table.index);
        raw(s.offset_expr);
      }
      if (s.flags & 3) {
        if (s.uses_exprs()) {
          byte(s.type);
        } else {
          out_.push_back(0x00);
        }
      }
      if (s.uses_exprs()) {
        u32(s.exprs.size());
        for (auto e : s.exprs) raw(e);
      } else {
        u32(s.funcs.size());
        for (auto f : s.funcs) u32(f);
      }
    }
  }
  void datas() {
    u32(m_.datas.size());
    for (const auto& d : m_.datas) {
      u32(d.flags);
      if (d.flags == 2) u32(d.memory.index);
      if (d.mode == SegmentMode::Active) raw(d.offset_expr);
      u32(d.data.size);
      raw(d.data);
    }
  }

  const Module& m_;
  Bytes out_;
};

bool has_content(const Module& m, SectionId id) {
  switch (id) {
    case SectionId::Type: return !m.types.empty();
    case SectionId::Import: return !m.imports.empty();
    case SectionId::Function: return !m.functions.empty();
    case SectionId::Table: return !m.tables.empty();
    case SectionId::Memory: return !m.memories.empty();
    case SectionId::Tag: return !m.tags.empty();
    case SectionId::Global: return !m.globals.empty();
    case SectionId::Export: return !m.exports.empty();
    case SectionId::Start: return m.start.has_value();
    case SectionId::Element: return !m.elements.empty();
    case SectionId::DataCount: return m.data_count.has_value();
    case SectionId::Code: return !m.codes.empty();
    case SectionId::Data: return !m.datas.empty();
    case SectionId::Custom: return false;
  }
  return false;
}

// The contents of a raw section (after its id and size), or nullopt if the
// raw bytes are not a well-formed section header.
std::optional<std::span<const uint8_t>> raw_contents(std::span<const uint8_t> raw) {
  if (raw.empty()) return std::nullopt;
  uint64_t size = 0;
  size_t len = 0;
  if (decode_uleb(raw.data() + 1, raw.data() + raw.size(), 32, size, len) != LebError::None) {
    return std::nullopt;
  }
  if (1 + len + size != raw.size()) return std::nullopt;
  return raw.subspan(1 + len);
}

// True if the recorded bytes of section `id` encode `canonical` content.
bool raw_matches(const Module& m, SectionId id, std::span<const uint8_t> raw, const Bytes& canonical) {
  auto contents = raw_contents(raw);
  if (!contents) return false;
  if (std::equal(contents->begin(), contents->end(), canonical.begin(), canonical.end())) {
    return true;
  }
  // Same content, different encoding? Decode the original bytes on their own
  // and compare canonical encodings.
  Module tmp;
  tmp.storage.assign(contents->begin(), contents->end());
  Cursor c(tmp.storage, 0, false);
  if (!detail::read_section_contents(tmp, id, c, Features::all()) || !c.at_end()) return false;
  return Encoder(tmp).section(id) == canonical;
}

void emit_custom(const Module& m, const CustomSection& cs, Bytes& out) {
  if (cs.raw) {
    auto raw = m.bytes(*cs.raw);
    if (auto contents = raw_contents(raw)) {
      Cursor c(*contents, 0, false);
      auto name = c.name();
      auto data = m.bytes(cs.data);
      if (name && *name == cs.name && std::equal(c.pos(), c.data_end(), data.begin(), data.end())) {
        out.insert(out.end(), raw.begin(), raw.end());
        return;
      }
    }
  }
  Bytes body;
  write_uleb(body, cs.name.size());
  body.insert(body.end(), cs.name.begin(), cs.name.end());
  auto data = m.bytes(cs.data);
  body.insert(body.end(), data.begin(), data.end());
  out.push_back(0);
  write_uleb(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
}

}  // namespace

std::vector<uint8_t> write_module(const Module& m) {
  Bytes out = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  auto customs_after = [&](uint8_t id) {
    for (const auto& cs : m.customs) {
      if (cs.after == id) emit_custom(m, cs, out);
    }
  };
  customs_after(0);
  static constexpr SectionId kOrder[] = {
      SectionId::Type,   SectionId::Import,  SectionId::Function,  SectionId::Table,
      SectionId::Memory, SectionId::Tag,     SectionId::Global,    SectionId::Export,
      SectionId::Start,  SectionId::Element, SectionId::DataCount, SectionId::Code,
      SectionId::Data};
  Encoder enc(m);
  for (SectionId id : kOrder) {
    auto i = static_cast<size_t>(id);
    const SectionRecord& rec = m.sections[i];
    bool optional_absent = (id == SectionId::Start || id == SectionId::DataCount) && !has_content(m, id);
    if (!optional_absent && (rec.present || has_content(m, id))) {
      Bytes contents = enc.section(id);
      auto raw = rec.present ? m.bytes(rec.raw) : std::span<const uint8_t>{};
      if (rec.present && raw_matches(m, id, raw, contents)) {
        out.insert(out.end(), raw.begin(), raw.end());
      } else {
        out.push_back(static_cast<uint8_t>(id));
        write_uleb(out, contents.size());
        out.insert(out.end(), contents.begin(), contents.end());
      }
    }
    customs_after(static_cast<uint8_t>(id));
  }
  // Custom sections placed after an id that is not a known section.
  for (const auto& cs : m.customs) {
    if (cs.after != 0 && detail::section_rank(cs.after) == 0) emit_custom(m, cs, out);
  }
  return out;
}

}  // namespace witc::bin
