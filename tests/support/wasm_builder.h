// A readable builder for (malformed) WebAssembly binaries, for tests.
//
// Two layers, both header-only:
//  - byte helpers: uleb/sleb (minimal or padded), name, vec, section,
//    preamble, concatenated with `+`; enough to spell any malformed binary
//    as the spec tests do;
//  - ModuleBuilder: adds types, imports, functions, ... one entry at a time
//    and emits the sections in the required order, remembering where things
//    landed (code_offset(i), section_offset(id)) so a test can assert the
//    exact offset of an error without counting bytes by hand.
// (The idea follows WABT's test/gen-wasm.py.)
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace witc::test {

using Bytes = std::vector<uint8_t>;

inline Bytes& operator+=(Bytes& a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
inline Bytes operator+(Bytes a, const Bytes& b) { return a += b; }

// Unsigned LEB128, minimal.
inline Bytes uleb(uint64_t v) {
  Bytes out;
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(b);
  } while (v);
  return out;
}

// Unsigned LEB128 padded to exactly `width` bytes (non-minimal if wider
// than needed).
inline Bytes uleb_padded(uint64_t v, size_t width) {
  Bytes out;
  for (size_t i = 0; i < width; ++i) {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (i + 1 < width) b |= 0x80;
    out.push_back(b);
  }
  return out;
}

// Signed LEB128, minimal.
inline Bytes sleb(int64_t v) {
  Bytes out;
  for (;;) {
    uint8_t b = v & 0x7F;
    v >>= 7;
    bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    if (!done) b |= 0x80;
    out.push_back(b);
    if (done) return out;
  }
}

// A name: LEB length and the bytes (not checked: tests need bad UTF-8).
inline Bytes name(std::string_view s) { return uleb(s.size()) + Bytes(s.begin(), s.end()); }

// A vector: LEB count and the items.
inline Bytes vec(const std::vector<Bytes>& items) {
  Bytes out = uleb(items.size());
  for (const auto& i : items) out += i;
  return out;
}

// A section: id, LEB size, contents.
inline Bytes section(uint8_t id, const Bytes& contents) {
  return Bytes{id} + uleb(contents.size()) + contents;
}

inline Bytes preamble() { return {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00}; }

// Value types and other single-byte codes.
namespace vt {
inline constexpr uint8_t i32 = 0x7F, i64 = 0x7E, f32 = 0x7D, f64 = 0x7C, v128 = 0x7B;
inline constexpr uint8_t funcref = 0x70, externref = 0x6F, exnref = 0x69, empty = 0x40;
}  // namespace vt

namespace sec {
inline constexpr uint8_t custom = 0, type = 1, import = 2, function = 3, table = 4, memory = 5,
                         global = 6, export_ = 7, start = 8, elem = 9, code = 10, data = 11,
                         datacount = 12, tag = 13;
}  // namespace sec

// Opcodes used by the tests (prefixed ones are two bytes: prefix, code).
namespace op {
inline constexpr uint8_t unreachable = 0x00, nop = 0x01, block = 0x02, loop = 0x03, if_ = 0x04,
                         else_ = 0x05, throw_ = 0x08, throw_ref = 0x0A, end = 0x0B, br = 0x0C,
                         br_if = 0x0D, br_table = 0x0E, return_ = 0x0F, call = 0x10,
                         call_indirect = 0x11, return_call = 0x12, try_table = 0x1F, drop = 0x1A,
                         select = 0x1B, select_t = 0x1C, local_get = 0x20, local_set = 0x21,
                         local_tee = 0x22, global_get = 0x23, global_set = 0x24, table_get = 0x25,
                         table_set = 0x26, i32_load = 0x28, i64_load = 0x29, i32_load8_u = 0x2D,
                         i32_store = 0x36, i64_store = 0x37, memory_size = 0x3F,
                         memory_grow = 0x40, i32_const = 0x41, i64_const = 0x42, f32_const = 0x43,
                         f64_const = 0x44, i32_eqz = 0x45, i32_add = 0x6A, i32_sub = 0x6B,
                         i64_add = 0x7C, f32_add = 0x92, ref_null = 0xD0, ref_is_null = 0xD1,
                         ref_func = 0xD2, prefix_fc = 0xFC, prefix_fd = 0xFD;
}  // namespace op

// Limits: flags, min [, max].
inline Bytes limits(uint64_t min) { return Bytes{0x00} + uleb(min); }
inline Bytes limits(uint64_t min, uint64_t max) { return Bytes{0x01} + uleb(min) + uleb(max); }

class ModuleBuilder {
 public:
  uint32_t type(Bytes params, Bytes results) {
    types_.push_back(Bytes{0x60} + uleb(params.size()) + params + uleb(results.size()) + results);
    return static_cast<uint32_t>(types_.size() - 1);
  }
  uint32_t import_func(std::string_view module, std::string_view field, uint32_t type) {
    imports_.push_back(name(module) + name(field) + Bytes{0x00} + uleb(type));
    return imported_funcs_++;
  }
  void import_table(std::string_view module, std::string_view field, uint8_t elem, Bytes lim) {
    imports_.push_back(name(module) + name(field) + Bytes{0x01, elem} + lim);
  }
  void import_memory(std::string_view module, std::string_view field, Bytes lim) {
    imports_.push_back(name(module) + name(field) + Bytes{0x02} + lim);
  }
  void import_global(std::string_view module, std::string_view field, uint8_t type, bool mut) {
    imports_.push_back(name(module) + name(field) + Bytes{0x03, type, uint8_t(mut ? 1 : 0)});
  }
  // A function of type `type`: `code` is the body after the locals and must
  // include the final `end`; `locals` are (count, type) groups.
  uint32_t func(uint32_t type, Bytes code, std::vector<std::pair<uint32_t, uint8_t>> locals = {}) {
    funcs_.push_back(uleb(type));
    Bytes decls = uleb(locals.size());
    for (auto [n, t] : locals) decls += uleb(n) + Bytes{t};
    bodies_.push_back({decls, std::move(code)});
    return imported_funcs_ + static_cast<uint32_t>(funcs_.size() - 1);
  }
  void table(uint8_t elem, Bytes lim) { tables_.push_back(Bytes{elem} + lim); }
  void memory(Bytes lim) { memories_.push_back(std::move(lim)); }
  void tag(uint32_t type) { tags_.push_back(Bytes{0x00} + uleb(type)); }
  void global(uint8_t type, bool mut, Bytes init) {
    globals_.push_back(Bytes{type, uint8_t(mut ? 1 : 0)} + init);
  }
  void export_(std::string_view field, uint8_t kind, uint32_t index) {
    exports_.push_back(name(field) + Bytes{kind} + uleb(index));
  }
  void start(uint32_t func) { start_ = uleb(func); }
  void elem(Bytes segment) { elems_.push_back(std::move(segment)); }
  void data(Bytes segment) { datas_.push_back(std::move(segment)); }
  void data_count(uint32_t n) { data_count_ = uleb(n); }
  void custom(std::string_view field, Bytes payload) { customs_.push_back(name(field) + payload); }
  // Replaces the generated contents of section `id` with raw bytes.
  void raw_section(uint8_t id, Bytes contents) { raw_[id] = std::move(contents); }

  Bytes build() {
    Bytes out = preamble();
    offsets_.clear();
    code_offsets_.clear();
    auto emit = [&](uint8_t id, bool present, const Bytes& contents) {
      auto raw = raw_.find(id);
      if (!present && raw == raw_.end()) return;
      offsets_[id] = out.size();
      out += section(id, raw != raw_.end() ? raw->second : contents);
    };
    emit(sec::type, !types_.empty(), vec(types_));
    emit(sec::import, !imports_.empty(), vec(imports_));
    emit(sec::function, !funcs_.empty(), vec(funcs_));
    emit(sec::table, !tables_.empty(), vec(tables_));
    emit(sec::memory, !memories_.empty(), vec(memories_));
    emit(sec::tag, !tags_.empty(), vec(tags_));
    emit(sec::global, !globals_.empty(), vec(globals_));
    emit(sec::export_, !exports_.empty(), vec(exports_));
    emit(sec::start, !start_.empty(), start_);
    emit(sec::elem, !elems_.empty(), vec(elems_));
    emit(sec::datacount, !data_count_.empty(), data_count_);
    if (!bodies_.empty() && !raw_.count(sec::code)) {
      Bytes contents = uleb(bodies_.size());
      Bytes header = Bytes{sec::code};
      size_t total = contents.size();
      for (const auto& [decls, code] : bodies_) {
        size_t n = decls.size() + code.size();
        total += uleb(n).size() + n;
      }
      offsets_[sec::code] = out.size();
      out += header + uleb(total) + contents;
      for (const auto& [decls, code] : bodies_) {
        out += uleb(decls.size() + code.size()) + decls;
        code_offsets_.push_back(out.size());
        out += code;
      }
    } else {
      emit(sec::code, false, {});
    }
    emit(sec::data, !datas_.empty(), vec(datas_));
    for (const auto& c : customs_) out += section(sec::custom, c);
    return out;
  }

  // After build(): absolute offset of the first instruction of defined
  // function i, and of the id byte of section `id`.
  uint64_t code_offset(size_t i) const { return code_offsets_.at(i); }
  uint64_t section_offset(uint8_t id) const { return offsets_.at(id); }

 private:
  std::vector<Bytes> types_, imports_, funcs_, tables_, memories_, tags_, globals_, exports_, elems_,
      datas_, customs_;
  std::vector<std::pair<Bytes, Bytes>> bodies_;
  Bytes start_, data_count_;
  uint32_t imported_funcs_ = 0;
  std::map<uint8_t, Bytes> raw_;
  std::map<uint8_t, uint64_t> offsets_;
  std::vector<uint64_t> code_offsets_;
};

}  // namespace witc::test
