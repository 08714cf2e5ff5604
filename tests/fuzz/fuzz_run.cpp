// libFuzzer target for the runtime (fuzz-run): every valid module is
// compiled, instantiated against stand-in imports of the right types and
// each exported function is called with zero arguments, under a fuel budget,
// a small memory limit and a shallow call stack. Traps are expected results;
// the rules checked are: no crash, no sanitizer report, no hang (fuel), a
// trap always has a message, and the store stays usable after a trap (every
// call after one still runs).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz_binary.h"
#include "witc/rt/runtime.h"

namespace {

constexpr const char* kTarget = "fuzz-run";

// A stand-in for an import: a function returning zeros, or a fresh object of
// the import's type.
std::optional<witc::rt::Extern> stand_in(witc::rt::Store& store, const witc::rt::Module& m, const witc::bin::Import& im) {
  using witc::bin::ExternKind;
  switch (im.kind) {
    case ExternKind::Func: {
      const witc::bin::FuncType& t = m.binary().types[im.func.index];
      size_t results = 0;
      for (auto r : t.results) results += r == witc::bin::ValType::V128 ? 2 : 1;
      return witc::rt::Extern::func(store.add_func_raw(t, [results](witc::rt::Caller&, uint64_t* io) -> std::expected<void, witc::rt::Trap> {
        for (size_t i = 0; i < results; ++i) io[i] = 0;
        return {};
      }));
    }
    case ExternKind::Table: {
      auto t = store.add_table(im.table, witc::rt::Val::null(im.table.elem));
      if (!t) return std::nullopt;
      return witc::rt::Extern::table(*t);
    }
    case ExternKind::Memory: {
      auto mem = store.add_memory(im.memory);
      if (!mem) return std::nullopt;
      return witc::rt::Extern::memory(*mem);
    }
    case ExternKind::Global:
      return witc::rt::Extern::global(store.add_global(im.global, witc::rt::Val::zero(im.global.type)));
    case ExternKind::Tag: return witc::rt::Extern::tag(store.add_tag(m.binary().types[im.tag.type.index]));
  }
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  witc::rt::Config config;
  config.consume_fuel = true;
  config.max_memory_bytes = 1 << 20;
  config.max_call_depth = 500;
  config.value_stack_bytes = 1 << 20;
  auto m = witc::rt::Module::compile(std::span<const uint8_t>(data, size), config);
  if (!m) {
    witc::fuzz::check_offset(kTarget, m.error(), size);
    return 0;
  }
  witc::rt::Store store(config);
  store.set_fuel(20'000);
  std::vector<witc::rt::Extern> imports;
  for (const witc::bin::Import& im : (*m)->binary().imports) {
    auto e = stand_in(store, **m, im);
    if (!e) return 0;  // e.g. a memory larger than the limit
    imports.push_back(*e);
  }
  auto inst = store.instantiate(*m, imports);
  if (!inst) {
    if (inst.error().message.empty()) witc::fuzz::die(kTarget, "a trap without a message");
    return 0;
  }
  for (const auto& [name, e] : (*inst)->exports()) {
    witc::rt::Func* f = e.as_func();
    if (!f) continue;
    std::vector<witc::rt::Val> args;
    for (witc::bin::ValType t : f->type().params) args.push_back(witc::rt::Val::zero(t));
    store.set_fuel(20'000);
    auto r = store.call(f, args);
    if (!r && r.error().message.empty()) witc::fuzz::die(kTarget, "a trap without a message");
    if (r && r->size() != f->type().results.size()) witc::fuzz::die(kTarget, "wrong number of results");
  }
  return 0;
}
