// Shared helpers of the runtime unit tests: compile a builder module,
// instantiate it, call exports by name.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "wasm_builder.h"
#include "witc/rt/runtime.h"

namespace witc::test {

inline Bytes body(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out += p;
  return out;
}
inline Bytes i32c(int32_t v) { return Bytes{op::i32_const} + sleb(v); }
inline Bytes i64c(int64_t v) { return Bytes{op::i64_const} + sleb(v); }
inline Bytes lget(uint32_t i) { return Bytes{op::local_get} + uleb(i); }
inline Bytes lset(uint32_t i) { return Bytes{op::local_set} + uleb(i); }
inline Bytes call(uint32_t f) { return Bytes{op::call} + uleb(f); }

inline std::shared_ptr<const rt::Module> compile(const Bytes& bytes, const rt::Config& config = {}) {
  auto m = rt::Module::compile(bytes, config);
  if (!m) FAIL("compile failed: " << render(m.error()));
  return *m;
}

// A store with one instance of `bytes` (no imports unless `linker` has them).
struct Fixture {
  explicit Fixture(const Bytes& bytes, rt::Config config = {}) : store(config) {
    module = compile(bytes, config);
    auto i = linker_.instantiate(store, module);
    if (!i) FAIL("instantiate failed: " << i.error().to_string());
    inst = *i;
  }
  rt::Result<std::vector<rt::Val>> call(const std::string& name, std::vector<rt::Val> args = {}) {
    rt::Func* f = inst->func(name);
    REQUIRE(f != nullptr);
    return store.call(f, args);
  }
  rt::Store store;
  rt::Linker linker_;
  std::shared_ptr<const rt::Module> module;
  rt::Instance* inst = nullptr;
};

}  // namespace witc::test
