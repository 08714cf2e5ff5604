// Private to the composer: writing the few core instructions the component
// builder synthesizes itself (shims, fixups, the adapter's stack allocation).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "witc/bin/cursor.h"
#include "witc/bin/module.h"

namespace witc::compose::detail {

// A function body: local declarations, then instructions, then `end`.
class BodyWriter {
 public:
  // `locals`: groups of (count, type).
  explicit BodyWriter(const std::vector<std::pair<uint32_t, bin::ValType>>& locals = {}) {
    bin::write_uleb(b_, locals.size());
    for (const auto& [n, t] : locals) {
      bin::write_uleb(b_, n);
      b_.push_back(static_cast<uint8_t>(t));
    }
  }
  BodyWriter& op(uint8_t code) {
    b_.push_back(code);
    return *this;
  }
  BodyWriter& op(uint8_t code, uint32_t imm) {
    b_.push_back(code);
    bin::write_uleb(b_, imm);
    return *this;
  }
  BodyWriter& i32_const(int32_t v) {
    b_.push_back(0x41);
    bin::write_sleb(b_, v);
    return *this;
  }
  BodyWriter& local_get(uint32_t i) { return op(0x20, i); }
  BodyWriter& local_tee(uint32_t i) { return op(0x22, i); }
  BodyWriter& global_get(uint32_t i) { return op(0x23, i); }
  BodyWriter& global_set(uint32_t i) { return op(0x24, i); }
  BodyWriter& call(uint32_t f) { return op(0x10, f); }
  BodyWriter& call_indirect(uint32_t type, uint32_t table) {
    op(0x11, type);
    bin::write_uleb(b_, table);
    return *this;
  }
  BodyWriter& if_empty() {
    b_.push_back(0x04);
    b_.push_back(0x40);
    return *this;
  }
  BodyWriter& end() { return op(0x0b); }
  // The body, closed with the function's final `end`.
  std::vector<uint8_t> finish() && {
    b_.push_back(0x0b);
    return std::move(b_);
  }

 private:
  std::vector<uint8_t> b_;
};

// Adds a function with this type and body; returns its function index.
inline uint32_t add_function(bin::Module& m, uint32_t type, std::vector<uint8_t> body) {
  bin::Function f;
  f.type = bin::TypeIdx(type);
  m.functions.push_back(f);
  bin::Code c;
  c.body = m.add_bytes(body);
  m.codes.push_back(c);
  return m.num_imports(bin::ExternKind::Func) + static_cast<uint32_t>(m.functions.size() - 1);
}

// The index of a function type in the module, added if missing.
inline uint32_t intern_type(bin::Module& m, const bin::FuncType& t) {
  for (uint32_t i = 0; i < m.types.size(); ++i) {
    if (m.types[i] == t) return i;
  }
  m.types.push_back(t);
  return static_cast<uint32_t>(m.types.size() - 1);
}

inline bin::Export make_export(std::string name, bin::ExternKind kind, uint32_t index) {
  bin::Export e;
  e.name = std::move(name);
  e.kind = kind;
  e.index = index;
  return e;
}

}  // namespace witc::compose::detail
