// A readable builder for (malformed) component binaries, for tests.
//
// Extends the idea of wasm_builder.h to the component model (Binary.md):
//  - productions as byte helpers (names, sorts, value types, type
//    definitions, declarators, extern descriptions, canonical definitions,
//    aliases, instances), concatenated with `+`;
//  - ComponentBuilder: appends sections in the order given (components
//    interleave them freely) and remembers where every section and item
//    landed, so a test can assert the exact offset of an error without
//    counting bytes by hand.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "wasm_builder.h"

namespace witc::test::cm {

inline Bytes preamble() { return {0x00, 0x61, 0x73, 0x6D, 0x0d, 0x00, 0x01, 0x00}; }

namespace sec {
inline constexpr uint8_t custom = 0, core_module = 1, core_instance = 2, core_type = 3, component = 4,
                         instance = 5, alias = 6, type = 7, canon = 8, start = 9, import = 10, export_ = 11,
                         value = 12;
}  // namespace sec

// Primitive value types (primvaltype).
namespace pt {
inline constexpr uint8_t bool_ = 0x7f, s8 = 0x7e, u8 = 0x7d, s16 = 0x7c, u16 = 0x7b, s32 = 0x7a, u32 = 0x79,
                         s64 = 0x78, u64 = 0x77, f32 = 0x76, f64 = 0x75, char_ = 0x74, string = 0x73,
                         error_context = 0x64;
}  // namespace pt

// sort and core:sort encodings.
namespace sort {
inline const Bytes core_func{0x00, 0x00}, core_table{0x00, 0x01}, core_memory{0x00, 0x02},
    core_global{0x00, 0x03}, core_tag{0x00, 0x04}, core_type{0x00, 0x10}, core_module{0x00, 0x11},
    core_instance{0x00, 0x12}, func{0x01}, value{0x02}, type{0x03}, component{0x04}, instance{0x05};
}  // namespace sort

// A value type: a primitive code or a type index (an s33, so indices >= 64
// take two bytes).
inline Bytes prim(uint8_t code) { return Bytes{code}; }
inline Bytes idx(uint32_t i) { return sleb(i); }

// Names: nameattributes with the plain 0x00 prefix.
inline Bytes ename(std::string_view s) { return Bytes{0x00} + name(s); }

// --- defined value types ---
struct Field {
  std::string_view label;
  Bytes type;
};
inline Bytes record(const std::vector<Field>& fields) {
  Bytes b = Bytes{0x72} + uleb(fields.size());
  for (const auto& f : fields) b += name(f.label) + f.type;
  return b;
}
inline Bytes variant(const std::vector<std::pair<std::string_view, std::optional<Bytes>>>& cases) {
  Bytes b = Bytes{0x71} + uleb(cases.size());
  for (const auto& [l, t] : cases) b += name(l) + (t ? Bytes{0x01} + *t : Bytes{0x00}) + Bytes{0x00};
  return b;
}
inline Bytes list(Bytes t) { return Bytes{0x70} + t; }
inline Bytes fixed_list(Bytes t, uint32_t n) { return Bytes{0x67} + t + uleb(n); }
inline Bytes tuple(const std::vector<Bytes>& ts) {
  Bytes b = Bytes{0x6f} + uleb(ts.size());
  for (const auto& t : ts) b += t;
  return b;
}
inline Bytes labels(uint8_t code, const std::vector<std::string_view>& ls) {
  Bytes b = Bytes{code} + uleb(ls.size());
  for (auto l : ls) b += name(l);
  return b;
}
inline Bytes flags(const std::vector<std::string_view>& ls) { return labels(0x6e, ls); }
inline Bytes enum_(const std::vector<std::string_view>& ls) { return labels(0x6d, ls); }
inline Bytes option(Bytes t) { return Bytes{0x6b} + t; }
inline Bytes opt(const std::optional<Bytes>& t) { return t ? Bytes{0x01} + *t : Bytes{0x00}; }
inline Bytes result(std::optional<Bytes> ok, std::optional<Bytes> err) { return Bytes{0x6a} + opt(ok) + opt(err); }
inline Bytes own(uint32_t i) { return Bytes{0x69} + uleb(i); }
inline Bytes borrow(uint32_t i) { return Bytes{0x68} + uleb(i); }
inline Bytes stream(std::optional<Bytes> t) { return Bytes{0x66} + opt(t); }
inline Bytes future(std::optional<Bytes> t) { return Bytes{0x65} + opt(t); }
inline Bytes map(Bytes k, Bytes v) { return Bytes{0x63} + k + v; }

// --- function, resource, component and instance types ---
inline Bytes func(const std::vector<Field>& params, std::optional<Bytes> result = std::nullopt,
                  bool async = false) {
  Bytes b = Bytes{uint8_t(async ? 0x43 : 0x40)} + uleb(params.size());
  for (const auto& p : params) b += name(p.label) + p.type;
  return b + (result ? Bytes{0x00} + *result : Bytes{0x01, 0x00});
}
inline Bytes resource(uint8_t rep = vt::i32, std::optional<uint32_t> dtor = std::nullopt) {
  return Bytes{0x3f, rep} + (dtor ? Bytes{0x01} + uleb(*dtor) : Bytes{0x00});
}
inline Bytes component_type(const std::vector<Bytes>& decls) { return Bytes{0x41} + vec(decls); }
inline Bytes instance_type(const std::vector<Bytes>& decls) { return Bytes{0x42} + vec(decls); }

// externtype
namespace ext {
inline Bytes module(uint32_t core_type) { return Bytes{0x00, 0x11} + uleb(core_type); }
inline Bytes func(uint32_t type) { return Bytes{0x01} + uleb(type); }
inline Bytes type_eq(uint32_t type) { return Bytes{0x03, 0x00} + uleb(type); }
inline Bytes type_sub_resource() { return Bytes{0x03, 0x01}; }
inline Bytes component(uint32_t type) { return Bytes{0x04} + uleb(type); }
inline Bytes instance(uint32_t type) { return Bytes{0x05} + uleb(type); }
}  // namespace ext

// Declarators.
namespace decl {
inline Bytes core_type(Bytes t) { return Bytes{0x00} + t; }
inline Bytes type(Bytes t) { return Bytes{0x01} + t; }
inline Bytes alias(Bytes a) { return Bytes{0x02} + a; }
inline Bytes import_(std::string_view n, Bytes desc) { return Bytes{0x03} + ename(n) + desc; }
inline Bytes export_(std::string_view n, Bytes desc) { return Bytes{0x04} + ename(n) + desc; }
}  // namespace decl

// Core types.
inline Bytes core_func_type(Bytes params, Bytes results) {
  return Bytes{0x60} + uleb(params.size()) + params + uleb(results.size()) + results;
}
inline Bytes module_type(const std::vector<Bytes>& decls) { return Bytes{0x50} + vec(decls); }

// --- aliases, instances, canon, imports, exports ---
inline Bytes alias_export(Bytes sort, uint32_t instance, std::string_view n) {
  return sort + Bytes{0x00} + uleb(instance) + name(n);
}
inline Bytes alias_core_export(Bytes sort, uint32_t instance, std::string_view n) {
  return sort + Bytes{0x01} + uleb(instance) + name(n);
}
inline Bytes alias_outer(Bytes sort, uint32_t count, uint32_t index) {
  return sort + Bytes{0x02} + uleb(count) + uleb(index);
}

inline Bytes core_instantiate(uint32_t module, const std::vector<std::pair<std::string_view, uint32_t>>& args) {
  Bytes b = Bytes{0x00} + uleb(module) + uleb(args.size());
  for (const auto& [n, i] : args) b += name(n) + Bytes{0x12} + uleb(i);
  return b;
}
inline Bytes core_exports(const std::vector<std::pair<std::string_view, Bytes>>& items) {
  Bytes b = Bytes{0x01} + uleb(items.size());
  for (const auto& [n, sortidx] : items) b += name(n) + sortidx;
  return b;
}
// A core sortidx: a core:sort byte and an index (no 0x00 prefix).
inline Bytes core_item(uint8_t core_sort, uint32_t i) { return Bytes{core_sort} + uleb(i); }
inline Bytes item(const Bytes& sort, uint32_t i) { return sort + uleb(i); }

inline Bytes instantiate(uint32_t component, const std::vector<std::pair<std::string_view, Bytes>>& args) {
  Bytes b = Bytes{0x00} + uleb(component) + uleb(args.size());
  for (const auto& [n, sortidx] : args) b += name(n) + sortidx;
  return b;
}
inline Bytes inline_exports(const std::vector<std::pair<std::string_view, Bytes>>& items) {
  Bytes b = Bytes{0x01} + uleb(items.size());
  for (const auto& [n, sortidx] : items) b += ename(n) + sortidx;
  return b;
}

namespace opt_ {
inline Bytes utf8() { return {0x00}; }
inline Bytes utf16() { return {0x01}; }
inline Bytes latin1_utf16() { return {0x02}; }
inline Bytes memory(uint32_t i) { return Bytes{0x03} + uleb(i); }
inline Bytes realloc(uint32_t i) { return Bytes{0x04} + uleb(i); }
inline Bytes post_return(uint32_t i) { return Bytes{0x05} + uleb(i); }
inline Bytes async() { return {0x06}; }
inline Bytes callback(uint32_t i) { return Bytes{0x07} + uleb(i); }
}  // namespace opt_

inline Bytes canon_lift(uint32_t core_func, const std::vector<Bytes>& opts, uint32_t type) {
  return Bytes{0x00, 0x00} + uleb(core_func) + vec(opts) + uleb(type);
}
inline Bytes canon_lower(uint32_t func, const std::vector<Bytes>& opts) {
  return Bytes{0x01, 0x00} + uleb(func) + vec(opts);
}
inline Bytes canon_resource_new(uint32_t t) { return Bytes{0x02} + uleb(t); }
inline Bytes canon_resource_drop(uint32_t t) { return Bytes{0x03} + uleb(t); }
inline Bytes canon_resource_rep(uint32_t t) { return Bytes{0x04} + uleb(t); }

inline Bytes import_(std::string_view n, Bytes desc) { return ename(n) + desc; }
inline Bytes export_(std::string_view n, Bytes sortidx, std::optional<Bytes> ascribed = std::nullopt) {
  return ename(n) + sortidx + opt(ascribed);
}

// Sections in the order added, with their offsets.
class ComponentBuilder {
 public:
  // A vector section (count + items); returns the section's index.
  size_t vec_section(uint8_t id, std::vector<Bytes> items) {
    sections_.push_back({id, std::move(items), true});
    return sections_.size() - 1;
  }
  // A section with raw contents.
  size_t raw_section(uint8_t id, Bytes contents) {
    sections_.push_back({id, {std::move(contents)}, false});
    return sections_.size() - 1;
  }
  size_t core_types(std::vector<Bytes> items) { return vec_section(sec::core_type, std::move(items)); }
  size_t core_instances(std::vector<Bytes> items) { return vec_section(sec::core_instance, std::move(items)); }
  size_t types(std::vector<Bytes> items) { return vec_section(sec::type, std::move(items)); }
  size_t instances(std::vector<Bytes> items) { return vec_section(sec::instance, std::move(items)); }
  size_t aliases(std::vector<Bytes> items) { return vec_section(sec::alias, std::move(items)); }
  size_t canons(std::vector<Bytes> items) { return vec_section(sec::canon, std::move(items)); }
  size_t imports(std::vector<Bytes> items) { return vec_section(sec::import, std::move(items)); }
  size_t exports(std::vector<Bytes> items) { return vec_section(sec::export_, std::move(items)); }
  size_t core_module(Bytes module) { return raw_section(sec::core_module, std::move(module)); }
  size_t component(Bytes nested) { return raw_section(sec::component, std::move(nested)); }

  Bytes build() {
    Bytes out = preamble();
    offsets_.clear();
    for (const auto& s : sections_) {
      Bytes contents;
      std::vector<uint64_t> items;
      if (s.vec) {
        contents = uleb(s.items.size());
        for (const auto& i : s.items) {
          items.push_back(contents.size());
          contents += i;
        }
      } else {
        contents = s.items.at(0);
        items.push_back(0);
      }
      Bytes head = Bytes{s.id} + uleb(contents.size());
      uint64_t start = out.size() + head.size();
      for (auto& i : items) i += start;
      offsets_.push_back({out.size(), start, std::move(items)});
      out += head + contents;
    }
    return out;
  }

  // After build(): the offset of section s's id byte, of its contents, and
  // of item i of a vector section (or of the contents of a raw one).
  uint64_t section_offset(size_t s) const { return offsets_.at(s).section; }
  uint64_t contents_offset(size_t s) const { return offsets_.at(s).contents; }
  uint64_t item_offset(size_t s, size_t i = 0) const { return offsets_.at(s).items.at(i); }

 private:
  struct Section {
    uint8_t id;
    std::vector<Bytes> items;
    bool vec;
  };
  struct Offsets {
    uint64_t section = 0, contents = 0;
    std::vector<uint64_t> items;
  };
  std::vector<Section> sections_;
  std::vector<Offsets> offsets_;
};

}  // namespace witc::test::cm
